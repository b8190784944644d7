package mongo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// index is one index the store relies on; doc.go lists them.
type index struct {
	collection, name string
	keys             bson.D
	unique           bool
}

func (ix index) model() mongo.IndexModel {
	return mongo.IndexModel{Keys: ix.keys, Options: options.Index().SetName(ix.name).SetUnique(ix.unique)}
}

var indexes = []index{
	{collOperations, "didSuffix_txnNumber_opIndex", bson.D{{Key: "didSuffix", Value: 1}, {Key: "txnNumber", Value: 1}, {Key: "opIndex", Value: 1}}, true},
	{collOperations, "txnNumber", bson.D{{Key: "txnNumber", Value: 1}}, false},
	{collUnresolvable, "nextRetry_id", bson.D{{Key: "nextRetry", Value: 1}, {Key: "_id", Value: 1}}, false},
	{collQueue, "batch_seq", bson.D{{Key: "batch", Value: 1}, {Key: "seq", Value: 1}}, false},
	{collSessions, "expires", bson.D{{Key: "expires", Value: 1}}, false},
}

// ErrIndexesBuilding is returned by a call that needs the store's indexes when its deadline passes
// before their build ends.
var ErrIndexesBuilding = errors.New("the store's indexes are still being built")

// indexBuildTimeout bounds the whole index build. A new index on a collection of a billion operations
// takes hours; if this ends first, the server goes on building and the next start waits for it.
const indexBuildTimeout = 24 * time.Hour

// indexProgressEvery is how often a running build reports its progress.
const indexProgressEvery = 15 * time.Second

// indexBuild is the background creation of the indexes, started by Open so that a long build (a new
// index on a large collection) does not hold up the node's start.
type indexBuild struct {
	done   chan struct{} // closed when the build ended
	err    error         // the build's error, set before done is closed
	cancel context.CancelFunc
	gate   <-chan struct{} // tests: the build starts when it is closed
	waited sync.Map        // the needs already reported as waiting
}

// buildIndexes starts creating the indexes in the background; a read-only store creates none.
func (s *Store) buildIndexes() {
	s.ix.done = make(chan struct{})
	if s.readOnly {
		close(s.ix.done)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), indexBuildTimeout)
	s.ix.cancel = cancel
	go func() {
		defer close(s.ix.done)
		if s.ix.gate != nil {
			select {
			case <-s.ix.gate:
			case <-ctx.Done():
			}
		}
		s.ix.err = s.createIndexes(ctx)
		if s.ix.err != nil {
			s.log.Error("mongo store: index build failed", "err", s.ix.err)
		}
	}()
}

// createIndexes creates each index in turn (a no-op for one that exists) and reports each step.
func (s *Store) createIndexes(ctx context.Context) error {
	start := time.Now()
	for i, ix := range indexes {
		step := fmt.Sprintf("%d/%d", i+1, len(indexes))
		began := time.Now()
		stop := s.reportProgress(ctx, ix, step)
		_, err := s.db.Collection(ix.collection).Indexes().CreateOne(ctx, ix.model())
		stop()
		if err != nil {
			return fmt.Errorf("mongo store: create index %s.%s: %w", ix.collection, ix.name, err)
		}
		s.log.Info("mongo store: index ready", "index", ix.collection+"."+ix.name, "step", step, "took", time.Since(began).Round(time.Millisecond))
	}
	s.log.Info("mongo store: indexes ready", "count", len(indexes), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// reportProgress logs, every indexProgressEvery until stop is called, that the index is being built and
// how far the server says it is (MongoDB's currentOp; other servers report nothing).
func (s *Store) reportProgress(ctx context.Context, ix index, step string) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(indexProgressEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.log.Info("mongo store: building index", "index", ix.collection+"."+ix.name, "step", step, "progress", s.serverProgress(ctx, ix))
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// serverProgress reads the server's progress message for the index build ("unknown" when the server
// does not say: currentOp needs privileges, and FerretDB has no index builds to report).
func (s *Store) serverProgress(ctx context.Context, ix index) string {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var reply struct {
		InProg []struct {
			Msg string `bson:"msg"`
		} `bson:"inprog"`
	}
	ns := s.db.Name() + "." + ix.collection
	cmd := bson.D{{Key: "currentOp", Value: true}, {Key: "ns", Value: ns}, {Key: "command.createIndexes", Value: bson.D{{Key: "$exists", Value: true}}}}
	if err := s.client.Database("admin").RunCommand(ctx, cmd).Decode(&reply); err != nil {
		return "unknown"
	}
	var msgs []string
	for _, op := range reply.InProg {
		if op.Msg != "" {
			msgs = append(msgs, op.Msg)
		}
	}
	if len(msgs) == 0 {
		return "unknown"
	}
	return strings.Join(msgs, "; ")
}

// indexesReady waits until the index build has ended, for a call that needs the indexes: writes (the
// unique index is what makes re-inserting an operation idempotent) and a DID's operations (without the
// index every resolution scans the collection). The first wait for each need is logged.
func (s *Store) indexesReady(ctx context.Context, need string) error {
	select {
	case <-s.ix.done:
		return s.ix.err
	default:
	}
	if _, logged := s.ix.waited.LoadOrStore(need, true); !logged {
		s.log.Warn("mongo store: waiting for the index build to finish before "+need, "see", "the 'mongo store: building index' lines")
	}
	select {
	case <-s.ix.done:
		return s.ix.err
	case <-ctx.Done():
		return fmt.Errorf("mongo store: %s: %w (%w)", need, ErrIndexesBuilding, ctx.Err())
	}
}

// stopIndexes ends a build still running on this side (the server completes it) and waits for it.
func (s *Store) stopIndexes() {
	if s.ix.cancel != nil {
		s.ix.cancel()
	}
	if s.ix.done != nil {
		<-s.ix.done
	}
}
