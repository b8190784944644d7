package pebble

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ionode/ionode/internal/storetest"
	"github.com/ionode/ionode/node/store"
)

var crashStream = storetest.Stream{Seed: 7, Transactions: 400, DIDs: 5000, MinOps: 50, MaxOps: 250, MinSize: 500, MaxSize: 1000}

// TestCrashChild is the child of TestCrashRecovery (it skips unless started by it).
func TestCrashChild(t *testing.T) {
	storetest.RunCrashChild(t, crashStream, func(dir string) (store.Store, error) { return Open(dir, Options{}) })
}

// TestCrashRecovery kills an ingesting process 20 times with SIGKILL and checks that every restart
// resumes from a consistent position and that the end state equals an uninterrupted ingest.
func TestCrashRecovery(t *testing.T) {
	if os.Getenv(storetest.CrashEnv) != "" {
		t.Skip("inside a crash child")
	}
	dir := filepath.Join(t.TempDir(), "store")
	storetest.RunCrash(t, storetest.CrashConfig{
		Stream:      crashStream,
		Kills:       20,
		ChildTest:   "TestCrashChild",
		ChildConfig: dir,
		Atomic:      true,
		Seed:        uint64(os.Getpid()),
		Open: func(t *testing.T) store.Store {
			s, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	})
	// The uninterrupted run, through the store itself rather than only the hasher.
	ref, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close(context.Background())
	if err := storetest.Ingest(context.Background(), ref, crashStream, nil); err != nil {
		t.Fatal(err)
	}
	crashed, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer crashed.Close(context.Background())
	a, _ := ref.StateHash(context.Background())
	b, _ := crashed.StateHash(context.Background())
	if string(a) != string(b) {
		t.Fatalf("state hash of the crashed store %x differs from an uninterrupted ingest %x", b, a)
	}
}
