// Package ferrettest starts an embedded FerretDB v1 as a real MongoDB-wire server for the MongoDB
// store's tests and the benchmarks, on either of its backends: SQLite (files in a temporary directory) or
// PostgreSQL (a cluster of its own, started from the system's PostgreSQL binaries). Only tests and
// bench/ commands import it, so FerretDB never reaches the production binary.
package ferrettest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Server is a running FerretDB.
type Server struct {
	URI string

	dir    string
	cancel context.CancelFunc
	done   chan struct{}
	pg     *postgres // the PostgreSQL backend's cluster, nil on SQLite
}

// StartIn runs FerretDB on 127.0.0.1 with a random port and its SQLite files in dir, which it keeps after
// Stop (a benchmark's store outlives the run). Its logs are dropped unless they are errors.
func StartIn(dir string) (*Server, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return run(ferretdb.Config{Handler: "sqlite", SQLiteURL: "file:" + dir + "/"})
}

// Start runs FerretDB on 127.0.0.1 with a random port and its SQLite files in a new temporary
// directory, deleted by Stop. Its logs are dropped unless they are errors.
func Start() (*Server, error) {
	dir, err := os.MkdirTemp("", "ferretdb-")
	if err != nil {
		return nil, err
	}
	s, err := run(ferretdb.Config{Handler: "sqlite", SQLiteURL: "file:" + dir + "/"})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.dir = dir
	return s, nil
}

// run starts FerretDB on 127.0.0.1 with a random port and the given backend.
func run(cfg ferretdb.Config) (*Server, error) {
	cfg.Listener = ferretdb.ListenerConfig{TCP: "127.0.0.1:0"}
	cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	f, err := ferretdb.New(&cfg)
	if err != nil {
		return nil, fmt.Errorf("start FerretDB: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		f.Run(ctx)
	}()
	uri := make(chan string, 1)
	go func() { uri <- f.MongoDBURI() }()
	select {
	case s.URI = <-uri:
	case <-time.After(30 * time.Second):
		s.Stop()
		return nil, fmt.Errorf("start FerretDB: listener not ready after 30 s")
	}
	return s, nil
}

// Stop shuts the server down and deletes its files.
func (s *Server) Stop() {
	s.cancel()
	<-s.done
	if s.pg != nil {
		s.pg.stop()
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}
