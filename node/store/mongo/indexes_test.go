package mongo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// TestIndexesInBackground holds the index build: Open returns without it, a write waits for it (and
// fails with ErrIndexesBuilding when its deadline comes first, logging the wait once), and once the
// build runs it reports each index and the write goes through.
func TestIndexesInBackground(t *testing.T) {
	gate := make(chan struct{})
	var log logLines
	s := openDB(t, ferretURI, Options{Logger: log.logger(), indexGate: gate})
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		err := s.PutOperations(short, newBatch(1, 9_000_000))
		cancel()
		if !errors.Is(err, ErrIndexesBuilding) {
			t.Fatalf("write during the index build: err = %v, want ErrIndexesBuilding", err)
		}
	}
	const waiting = `level=WARN msg="mongo store: waiting for the index build to finish before writing" see="the 'mongo store: building index' lines"`
	if n := strings.Count(strings.Join(log.lines(), "\n"), waiting); n != 1 {
		t.Errorf("wait logged %d times, want once:\n%s", n, strings.Join(log.lines(), "\n"))
	}
	close(gate)
	if err := s.PutOperations(ctx, newBatch(1, 9_000_000)); err != nil {
		t.Fatal(err)
	}
	var ready []string
	for _, line := range log.lines() {
		if strings.Contains(line, `msg="mongo store: index ready"`) || strings.Contains(line, `msg="mongo store: indexes ready"`) {
			ready = append(ready, line)
		}
	}
	if len(ready) != len(indexes)+1 || !strings.Contains(ready[0], fmt.Sprintf("index=operations.didSuffix_txnNumber_opIndex step=1/%d", len(indexes))) {
		t.Errorf("build reports:\n%s", strings.Join(ready, "\n"))
	}
	for _, ix := range indexes {
		specs, err := s.db.Collection(ix.collection).Indexes().ListSpecifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(specs, func(sp mongo.IndexSpecification) bool { return sp.Name == ix.name }) {
			t.Errorf("index %s.%s missing", ix.collection, ix.name)
		}
	}
}
