package ferret

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Server is a running FerretDB listening on loopback.
type Server struct {
	URI    string
	cancel context.CancelFunc
	done   chan struct{}
}

// Start runs FerretDB on a random loopback port with its SQLite files in dir.
func Start(dir string) (*Server, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
	})
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
	go func() { uri <- f.MongoDBURI() }() // blocks until the listener is up
	select {
	case s.URI = <-uri:
		return s, nil
	case <-time.After(30 * time.Second):
		s.Stop()
		return nil, fmt.Errorf("start FerretDB: listener not ready after 30 s")
	}
}

// Stop shuts the server down.
func (s *Server) Stop() {
	s.cancel()
	<-s.done
}
