package pebble

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"

	"github.com/ionode/ionode/node/store"
)

// Options configure Open. The zero value is a writable store with Pebble's default cache.
type Options struct {
	// ReadOnly opens the directory without writing to it; every write returns store.ErrReadOnly.
	ReadOnly bool
	// CacheSize is Pebble's block cache in bytes (0: DefaultCacheSize).
	CacheSize int64
	// StateMemoSize bounds the in-memory layer of recently served DID states in bytes (0:
	// DefaultStateMemoSize; negative: none).
	StateMemoSize int64
}

// Store is the embedded store. It is safe for concurrent use.
type Store struct {
	db       *pebble.DB
	readOnly bool

	// wmu serializes writes that read before they write (counters, queue, unresolvable index): Pebble
	// batches are atomic but not isolated from each other.
	wmu        sync.Mutex
	generation uint64 // last generation handed out; persisted with every batch that uses it
	queueSeq   uint64
	batchSeq   uint64
	depth      atomic.Int64 // queued (not in-flight) operations
	memo       *stateMemo   // nil when turned off
	// sessionWrites counts session writes (under wmu) to space the sweeps of expired records.
	sessionWrites uint64
	// sessionsSwept: a sweep walked every record once in this process (under wmu); later sweeps walk
	// only the expiry index.
	sessionsSwept bool
}

var _ store.Store = (*Store)(nil)

// DefaultCacheSize is the block cache of a store opened without a size: resolution reads one DID's
// operations from wherever they landed in the tables, and Pebble's own default (8 MiB) left most of those
// reads to the kernel (p50 ~200 µs with 1,000,000 operations stored).
const DefaultCacheSize = 256 << 20

// DefaultStateMemoSize holds the states of about 100,000 typical DIDs (one key, one service: 553 bytes
// of state, a 46-byte suffix, the generation and a 4-byte header each, as bench/resolve's DIDs): each of
// the memo's 512 buckets is a ring of two 64 KiB chunks, ~214 such entries, and drops a whole chunk when
// full. 100,000 DIDs resolved uniformly at random miss 0.3 % of the time; scanned in order, 11 %. It is
// memory outside the Go heap (internal/bytecache); as Go values the same budget took ~72 MB of heap, and
// the collector let the heap grow by half of that again.
const DefaultStateMemoSize = 64 << 20

// Open opens (creating it if needed) the store in dir.
func Open(dir string, opts Options) (*Store, error) {
	if opts.CacheSize == 0 {
		opts.CacheSize = DefaultCacheSize
	}
	if opts.StateMemoSize == 0 {
		opts.StateMemoSize = DefaultStateMemoSize
	}
	po := &pebble.Options{
		ReadOnly:           opts.ReadOnly,
		CacheSize:          opts.CacheSize,
		FormatMajorVersion: pebble.FormatNewest,
		Logger:             quietLogger{},
		Comparer:           comparer,
		// A 10,000-operation transaction is ~8 MB: with memtables of 8 MB such a batch becomes a memtable
		// of its own (a flushable batch: sorted, not inserted key by key into a skiplist), which is most
		// of what ingest cost. Sustained ingest of 1,000,000 operations: 57,000 ops/s with 64 MB
		// memtables and Pebble's L0 thresholds, 103,000 with these (BenchmarkIngest, two cores).
		MemTableSize: 8 << 20,
		// Let L0 collect up to 16 tables before compacting it: fewer, larger compactions write each
		// operation fewer times. Reads pay little for the extra tables: the bloom filters skip them.
		L0CompactionThreshold:       16,
		L0StopWritesThreshold:       64,
		MemTableStopWritesThreshold: 4,
	}
	// A DID's operations share a Split prefix but are not versions of one key: without this, Pebble
	// would move every operation after a DID's first in a table into value blocks, an extra block read
	// for each.
	po.Experimental.SpanPolicyFunc = func([]byte) (pebble.SpanPolicy, []byte, error) {
		return pebble.SpanPolicy{DisableValueSeparationBySuffix: true}, nil, nil
	}
	// Bloom filters make the point reads (generations, cache, queue uniqueness) skip most tables.
	for i := range po.Levels {
		po.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	db, err := pebble.Open(dir, po)
	if err != nil && strings.Contains(err.Error(), "comparer name") {
		return nil, fmt.Errorf("open pebble store in %s: written by an earlier ionode with another key order; move the directory away and let the node sync again: %w", dir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open pebble store in %s: %w", dir, err)
	}
	s := &Store{db: db, readOnly: opts.ReadOnly, memo: newStateMemo(opts.StateMemoSize)}
	if err := s.load(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// load reads the counters kept in memory.
func (s *Store) load() error {
	var err error
	if s.generation, err = s.getUint(keyGenerationCounter); err != nil {
		return err
	}
	if s.queueSeq, err = s.getUint(keyQueueSeq); err != nil {
		return err
	}
	if s.batchSeq, err = s.getUint(keyBatchSeq); err != nil {
		return err
	}
	n, err := s.count([]byte{prefixQueued})
	if err != nil {
		return err
	}
	s.depth.Store(int64(n))
	return nil
}

// Close closes the database.
func (s *Store) Close(context.Context) error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close pebble store: %w", err)
	}
	return nil
}

// Flush writes the memtable to disk (used by benchmarks to measure reads from tables, not memory).
func (s *Store) Flush() error { return s.db.Flush() }

func (s *Store) writable(ctx context.Context) error {
	if s.readOnly {
		return store.ErrReadOnly
	}
	return ctx.Err()
}

// get returns a copy of a key's value, nil when absent.
func (s *Store) get(key []byte) ([]byte, error) {
	v, closer, err := s.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pebble get: %w", err)
	}
	out := make([]byte, len(v))
	copy(out, v)
	closer.Close()
	return out, nil
}

func (s *Store) getUint(key []byte) (uint64, error) {
	v, err := s.get(key)
	if err != nil || v == nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("%w: counter %q", errCorrupt, key)
	}
	return binary.BigEndian.Uint64(v), nil
}

func (s *Store) count(prefix []byte) (int, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)})
	if err != nil {
		return 0, err
	}
	n := 0
	for ok := it.First(); ok; ok = it.Next() {
		n++
	}
	return n, closeIter(it)
}

// scan calls fn for each key with the prefix, in order, until fn returns false or an error. Key and
// value are valid only during the call.
func (s *Store) scan(ctx context.Context, lower, upper []byte, fn func(k, v []byte) (bool, error)) error {
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return fmt.Errorf("pebble iterator: %w", err)
	}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.ValueAndErr()
		if err != nil {
			it.Close()
			return fmt.Errorf("pebble read: %w", err)
		}
		more, err := fn(it.Key(), v)
		if err != nil {
			it.Close()
			return err
		}
		if !more {
			break
		}
	}
	return closeIter(it)
}

// scanPrefix is scan over the keys sharing prefix, a whole Split prefix (an operation key's "o <suffix>
// 00"): the seek consults the bloom filters and skips the tables that hold no such key.
func (s *Store) scanPrefix(ctx context.Context, prefix []byte, fn func(k, v []byte) error) error {
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)})
	if err != nil {
		return fmt.Errorf("pebble iterator: %w", err)
	}
	for ok := it.SeekPrefixGE(prefix); ok; ok = it.Next() {
		v, err := it.ValueAndErr()
		if err != nil {
			err = fmt.Errorf("pebble read: %w", err)
		} else {
			err = fn(it.Key(), v)
		}
		if err != nil {
			it.Close()
			return err
		}
	}
	return closeIter(it)
}

func closeIter(it *pebble.Iterator) error {
	if err := it.Close(); err != nil {
		return fmt.Errorf("pebble iterator: %w", err)
	}
	return nil
}

// commit applies a batch durably.
func commit(b *pebble.Batch) error {
	defer b.Close()
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("pebble commit: %w", err)
	}
	return nil
}

// quietLogger drops Pebble's informational messages and keeps its errors on the standard logger's path.
type quietLogger struct{}

func (quietLogger) Infof(string, ...any) {}

func (quietLogger) Errorf(format string, args ...any) { pebble.DefaultLogger.Errorf(format, args...) }

func (quietLogger) Fatalf(format string, args ...any) { pebble.DefaultLogger.Fatalf(format, args...) }
