package mongo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"

	"github.com/ionode/ionode/internal/ferrettest"
	"github.com/ionode/ionode/internal/storetest"
	"github.com/ionode/ionode/node/store"
)

// ferretURI is the embedded FerretDB on SQLite every test of the package shares, and ferretPGURI the one
// on PostgreSQL (both started by TestMain; ferretPGURI is empty where PostgreSQL is not installed).
var ferretURI, ferretPGURI string

func TestMain(m *testing.M) {
	if os.Getenv(storetest.CrashEnv) != "" {
		os.Exit(m.Run()) // a crash child: it uses the parent's server
	}
	srv, err := ferrettest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ferretURI = srv.URI
	pg, err := ferrettest.StartPostgreSQL()
	switch {
	case err == nil:
		ferretPGURI = pg.URI
	case errors.Is(err, ferrettest.ErrNoPostgreSQL) && os.Getenv("CI") != "true":
		fmt.Fprintf(os.Stderr, "skipping the FerretDB-on-PostgreSQL runs: %v\n", err)
	default: // in CI a missing PostgreSQL is a failure, not a silent skip
		fmt.Fprintln(os.Stderr, err)
		srv.Stop()
		os.Exit(1)
	}
	code := m.Run()
	if pg != nil {
		pg.Stop()
	}
	srv.Stop()
	os.Exit(code)
}

var dbCounter atomic.Int64

// openDB opens a store on a new database of the server at uri and drops it when the test ends.
func openDB(t testing.TB, uri string, o Options) *Store {
	t.Helper()
	o.URI = uri
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler) // every test opens stores: their startup reports are noise
	}
	if o.Database == "" {
		o.Database = fmt.Sprintf("ionode_test_%d_%d", os.Getpid(), dbCounter.Add(1))
	}
	s, err := Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !o.ReadOnly {
			s.Database().Drop(context.Background())
		}
		s.Close(context.Background())
	})
	return s
}

// servers lists the MongoDB-wire servers to test against: the embedded FerretDB on its two backends,
// and a real MongoDB when MONGODB_URI is set.
func servers() map[string]string {
	m := map[string]string{"FerretDB-SQLite": ferretURI}
	if ferretPGURI != "" {
		m["FerretDB-PostgreSQL"] = ferretPGURI
	}
	if uri := os.Getenv("MONGODB_URI"); uri != "" {
		m["MongoDB"] = uri
	}
	return m
}

func TestConformance(t *testing.T) {
	for name, uri := range servers() {
		t.Run(name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) store.Store { return openDB(t, uri, Options{}) })
		})
	}
}
