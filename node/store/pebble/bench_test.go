package pebble

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ionode/ionode/internal/storetest"
	"github.com/ionode/ionode/node/store"
)

// BenchmarkIngest: go test -run=^$ -bench=Ingest -benchtime=100x ./node/store/pebble/ (1,000,000 operations:
// long enough for the compactions the load causes to count)
func BenchmarkIngest(b *testing.B) {
	storetest.BenchIngest(b, 10_000, func(b *testing.B) store.Store { return openTemp(b) })
}

// BenchmarkPointRead reads one DID's operations from a store holding IONODE_STORE_BENCH_OPS operations
// (default 1,000,000; loading them takes a while, which is why this is a benchmark). The store is loaded
// once, then reopened for each case:
//   - cache=default,cold: the default block cache, just opened: reads come from the files (through
//     the kernel's page cache), as the first resolutions after a restart do;
//   - cache=1GiB,warm: a block cache that holds the whole store (the size an operator sets with
//     --store-cache-mb for this data), after one read of every DID measured: a resolver that has
//     been serving a while.
//
// go test -run=^$ -bench=PointRead -benchtime=20000x ./node/store/pebble/
func BenchmarkPointRead(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("IONODE_STORE_BENCH_OPS")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	suffixes := storetest.LoadForReads(b, s, n, 10_000)
	// Read from tables, as a long-running node does, not from the memtable.
	if err := s.Flush(); err != nil {
		b.Fatal(err)
	}
	// And from a settled store: the compactions the load started would otherwise compete with the reads
	// for the CPU (two cores here), which measures the load, not the reads.
	settle(s)
	if err := s.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		cache int64
		warm  bool
	}{
		{"cache=default,cold", 0, false},
		{"cache=1GiB,warm", 1 << 30, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			s, err := Open(dir, Options{CacheSize: c.cache})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close(context.Background())
			if c.warm {
				for _, suffix := range suffixes {
					if _, _, err := s.Operations(context.Background(), suffix); err != nil {
						b.Fatal(err)
					}
				}
			}
			storetest.MeasurePointReads(b, s, suffixes)
		})
	}
}

// settle waits (up to two minutes) until no compaction has run for a second.
func settle(s *Store) {
	deadline := time.Now().Add(2 * time.Minute)
	quiet := 0
	for quiet < 4 && time.Now().Before(deadline) {
		time.Sleep(250 * time.Millisecond)
		if m := s.db.Metrics(); m.Compact.NumInProgress == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
}
