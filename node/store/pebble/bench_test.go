package pebble

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/node/store/storetest"
)

// BenchmarkIngest: go test -run=^$ -bench=Ingest -benchtime=30x ./node/store/pebble/
func BenchmarkIngest(b *testing.B) {
	storetest.BenchIngest(b, 10_000, func(b *testing.B) store.Store { return openTemp(b) })
}

// BenchmarkPointRead reads one DID's operations from a store holding IONODE_STORE_BENCH_OPS operations
// (default 1,000,000; loading them takes a while, which is why this is a benchmark):
// go test -run=^$ -bench=PointRead -benchtime=20000x ./node/store/pebble/
func BenchmarkPointRead(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("IONODE_STORE_BENCH_OPS")); err == nil && v > 0 {
		n = v
	}
	s := openTemp(b)
	suffixes := storetest.LoadForReads(b, s, n, 10_000)
	// Read from tables, as a long-running node does, not from the memtable.
	if err := s.Flush(); err != nil {
		b.Fatal(err)
	}
	// And from a settled store: the compactions the load started would otherwise compete with the reads
	// for the CPU (two cores here), which measures the load, not the reads.
	settle(s)
	storetest.MeasurePointReads(b, s, suffixes)
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
