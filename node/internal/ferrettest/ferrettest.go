// Package ferrettest starts an embedded FerretDB v1 (SQLite backend) as a real MongoDB-wire server for
// the MongoDB store's tests and benchmarks. Only tests import it, so FerretDB never reaches the
// production binary.
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
}

// Start runs FerretDB on 127.0.0.1 with a random port and its SQLite files in a new temporary
// directory. Its logs are dropped unless they are errors.
func Start() (*Server, error) {
	dir, err := os.MkdirTemp("", "ferretdb-")
	if err != nil {
		return nil, err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
		Logger:    logger,
	})
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start FerretDB: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{dir: dir, cancel: cancel, done: make(chan struct{})}
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
		return nil, fmt.Errorf("start FerretDB: listener not ready")
	}
	return s, nil
}

// Stop shuts the server down and deletes its files.
func (s *Server) Stop() {
	s.cancel()
	<-s.done
	os.RemoveAll(s.dir)
}
