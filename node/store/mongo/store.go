package mongo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readconcern"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"

	"github.com/ionode/ionode/node/store"
)

// Options configure Open.
type Options struct {
	// URI is the MongoDB connection string (mongodb:// or mongodb+srv://).
	URI string
	// Database is the database name (default "ionode").
	Database string
	// ReadOnly opens the store for a resolver replica: no index creation, every write returns
	// store.ErrReadOnly.
	ReadOnly bool
	// Timeout bounds each call that has no earlier context deadline (default 10 s).
	Timeout time.Duration
	// ScanTimeout bounds whole-collection scans (StateHash; default 10 min).
	ScanTimeout time.Duration
	// ReadPrimary reads from the primary whatever the URI's readPreference says. Without it a writer
	// refuses a URI that reads from secondaries, and a read-only store reads from them through causally
	// consistent sessions.
	ReadPrimary bool
	// Logger receives the store's startup report and warnings (default slog.Default()).
	Logger *slog.Logger
	// Monitor, when set, sees every command the driver sends (metrics, tracing; tests count round
	// trips with it).
	Monitor *event.CommandMonitor

	indexGate <-chan struct{} // tests: hold the index build until closed
}

// Collection names.
const (
	collOperations   = "operations"
	collDIDs         = "dids"
	collStates       = "states"
	collTransactions = "transactions"
	collUnresolvable = "unresolvable"
	collQueue        = "queue"
	collCounters     = "counters"
	collMeta         = "meta"
	collUTXOs        = "utxos"
	collPendingTxs   = "pendingtxs"
	collSessions     = "sessions"
)

// Store is the MongoDB store. It is safe for concurrent use.
type Store struct {
	client   *mongo.Client
	db       *mongo.Database
	readOnly bool
	timeout  time.Duration
	scan     time.Duration
	log      *slog.Logger
	server   server
	reads    readPlan
	// chunk bounds the statements of one update command; 0 sends each bulk update as one command.
	chunk int
	ix    indexBuild

	ops, dids, states, txs, unresolvable, queue, counters, meta, utxos, pending, sessions *mongo.Collection

	// queueMu serializes this process's queue position allocation and batch claims. MongoDB applies a
	// filtered update atomically per document, so claims from several processes are safe there; FerretDB
	// v1 reads then rewrites documents without isolation, so within one process this lock is what keeps
	// two takers from claiming the same operation and two enqueues from sharing a position.
	queueMu sync.Mutex
	// sessionMu serializes this process's session writes (see sessions.go); sessionWrites spaces sweeps.
	sessionMu     sync.Mutex
	sessionWrites uint64
}

var _ store.Store = (*Store)(nil)

// Open connects, checks the server answers, reports what it is and, unless read-only, starts creating
// the collections' indexes in the background.
func Open(ctx context.Context, o Options) (*Store, error) {
	if o.URI == "" {
		return nil, errors.New("mongo store: no URI")
	}
	if o.Database == "" {
		o.Database = "ionode"
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.ScanTimeout <= 0 {
		o.ScanTimeout = 10 * time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	co := options.Client().ApplyURI(o.URI).SetRetryWrites(true).SetRetryReads(true).SetTimeout(o.Timeout)
	reads, err := planReads(co.ReadPreference, o.ReadOnly, o.ReadPrimary)
	if err != nil {
		return nil, err
	}
	if reads.pinPrimary {
		co.SetReadPreference(readpref.Primary())
	}
	if reads.causal {
		co.SetReadConcern(readconcern.Majority())
	}
	if o.Monitor != nil {
		co.SetMonitor(o.Monitor)
	}
	client, err := mongo.Connect(co)
	if err != nil {
		return nil, fmt.Errorf("mongo store: connect: %w", err)
	}
	db := client.Database(o.Database)
	s := &Store{
		client: client, db: db, readOnly: o.ReadOnly, timeout: o.Timeout, scan: o.ScanTimeout, log: o.Logger, reads: reads,
		ix:  indexBuild{gate: o.indexGate},
		ops: db.Collection(collOperations), dids: db.Collection(collDIDs), states: db.Collection(collStates), txs: db.Collection(collTransactions),
		unresolvable: db.Collection(collUnresolvable), queue: db.Collection(collQueue), counters: db.Collection(collCounters),
		meta: db.Collection(collMeta), utxos: db.Collection(collUTXOs), pending: db.Collection(collPendingTxs),
		sessions: db.Collection(collSessions),
	}
	if err := s.start(ctx); err != nil {
		client.Disconnect(context.Background())
		return nil, err
	}
	return s, nil
}

func (s *Store) start(ctx context.Context) error {
	ctx, cancel := s.call(ctx)
	defer cancel()
	if err := s.client.Ping(ctx, nil); err != nil {
		return fmt.Errorf("mongo store: ping: %w", err)
	}
	srv, err := s.probe(ctx)
	if err != nil {
		return err
	}
	s.adopt(srv)
	s.buildIndexes()
	return nil
}

// Close stops an index build still running (the server finishes it) and disconnects.
func (s *Store) Close(ctx context.Context) error {
	s.stopIndexes()
	if err := s.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("mongo store: disconnect: %w", err)
	}
	return nil
}

// Database returns the database the store uses (tests drop it).
func (s *Store) Database() *mongo.Database { return s.db }

// call bounds a call by the store's timeout unless ctx already ends sooner.
func (s *Store) call(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

func (s *Store) write(ctx context.Context) (context.Context, context.CancelFunc, error) {
	return s.writeOps(ctx, 0)
}

// writeOps is write for a call that stores n operations: its time limit grows by one Timeout per 1,000
// operations, since a full ION batch (10,000) is one call and a slow server (FerretDB here) takes well
// over ten seconds for it; cutting it off would stop the sync for good.
func (s *Store) writeOps(ctx context.Context, n int) (context.Context, context.CancelFunc, error) {
	if s.readOnly {
		return nil, nil, store.ErrReadOnly
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout*time.Duration(1+n/1000))
	if err := s.indexesReady(ctx, "writing"); err != nil {
		cancel()
		return nil, nil, err
	}
	return ctx, cancel, nil
}

// onlyDuplicates reports whether err consists of duplicate-key write errors only: an idempotent
// re-insert of records already stored.
func onlyDuplicates(err error) bool {
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) {
		if bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
			return false
		}
		for _, we := range bwe.WriteErrors {
			if we.Code != 11000 {
				return false
			}
		}
		return true
	}
	var we mongo.WriteException
	if errors.As(err, &we) {
		if we.WriteConcernError != nil || len(we.WriteErrors) == 0 {
			return false
		}
		for _, e := range we.WriteErrors {
			if e.Code != 11000 {
				return false
			}
		}
		return true
	}
	return false
}

// duplicateIndexes lists the positions of the documents an InsertMany refused as duplicates.
func duplicateIndexes(err error) []int {
	var out []int
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) {
		for _, we := range bwe.WriteErrors {
			if we.Code == 11000 {
				out = append(out, we.Index)
			}
		}
	}
	return out
}

// i64 converts a stored unsigned number; BSON has signed 64-bit integers only.
func i64(what string, v uint64) (int64, error) {
	if v > math.MaxInt64 {
		return 0, fmt.Errorf("%s %d exceeds the store's range", what, v)
	}
	return int64(v), nil
}

// nanos stores times as Unix nanoseconds: BSON dates keep only milliseconds, and retry times must
// round-trip exactly. The zero time is stored as math.MinInt64.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == math.MinInt64 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// ferretUpdateChunk bounds the statements of one update command on FerretDB. FerretDB (v1.24, SQLite backend) keeps the
// query of each statement that matched a document open, with its SQLite connection, until the whole
// command ends, and its pool has 100 connections: an update command of 100 statements on existing
// documents waits forever for a connection, and every later command with it (seen as client i/o
// timeouts, "incomplete read of message header"). 32 leaves room for a second such command running at
// once (a killed node's, still executing on the server) and for every other client.
// MongoDB has no such limit: there a bulk update is one command (the driver splits it only beyond the
// server's maxWriteBatchSize or message size), a round trip instead of hundreds per ION batch.
const ferretUpdateChunk = 32

// bulkUpdate runs update and replace models in commands of at most s.chunk statements (one command
// when s.chunk is 0), each retried by upsertRetry.
func (s *Store) bulkUpdate(ctx context.Context, c *mongo.Collection, models []mongo.WriteModel, ordered bool) error {
	for len(models) > 0 {
		n := len(models)
		if s.chunk > 0 {
			n = min(n, s.chunk)
		}
		chunk := models[:n]
		models = models[len(chunk):]
		err := upsertRetry(func() error {
			_, err := c.BulkWrite(ctx, chunk, options.BulkWrite().SetOrdered(ordered))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// upsertRetry runs an upsert, again when it lost a race with a concurrent upsert of the same _id (a
// duplicate-key error: MongoDB 4.2+ retries such upserts itself, FerretDB does not); the retry then
// finds the document and updates it.
func upsertRetry(upsert func() error) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = upsert(); err == nil || !mongo.IsDuplicateKeyError(err) {
			return err
		}
	}
	return err
}
