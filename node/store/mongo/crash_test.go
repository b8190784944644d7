package mongo

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/storetest"
	"github.com/ionode/ionode/node/store"
)

// FerretDB writes far slower than Pebble: a smaller stream keeps the test within seconds.
var crashStream = storetest.Stream{Seed: 9, Transactions: 100, DIDs: 500, MinOps: 5, MaxOps: 40, MinSize: 500, MaxSize: 1000}

// TestCrashChild is the child of TestCrashRecovery; its configuration is "<uri> <database>".
func TestCrashChild(t *testing.T) {
	storetest.RunCrashChild(t, crashStream, func(config string) (store.Store, error) {
		uri, db, _ := strings.Cut(config, " ")
		return Open(context.Background(), Options{URI: uri, Database: db})
	})
}

// TestCrashRecovery kills an ingesting process 20 times with SIGKILL, each time somewhere in the
// operations → generations → transaction → cursor sequence, and requires the resumed ingest to end in
// the state of an uninterrupted one.
func TestCrashRecovery(t *testing.T) {
	if os.Getenv(storetest.CrashEnv) != "" {
		t.Skip("inside a crash child")
	}
	for name, uri := range servers() {
		t.Run(name, func(t *testing.T) {
			db := fmt.Sprintf("ionode_crash_%d", os.Getpid())
			keep := openDB(t, uri, Options{Database: db}) // creates the indexes; drops the database at the end
			if err := keep.indexesReady(context.Background(), "the crash test"); err != nil {
				t.Fatal(err)
			}
			storetest.RunCrash(t, storetest.CrashConfig{
				Stream:      crashStream,
				Kills:       20,
				ChildTest:   "TestCrashChild",
				ChildConfig: uri + " " + db,
				Seed:        uint64(os.Getpid()),
				Open: func(t *testing.T) store.Store {
					s, err := Open(context.Background(), Options{URI: uri, Database: db})
					if err != nil {
						t.Fatal(err)
					}
					return s
				},
			})
		})
	}
}
