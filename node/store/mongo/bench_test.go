package mongo

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ionode/ionode/internal/storetest"
	"github.com/ionode/ionode/node/store"
)

// benchBatch is the operations per transaction: ION's maximum, 10,000, against MongoDB; 1,000 against
// FerretDB, whose per-document updates (the DIDs' generations) make a 10,000-operation write take
// minutes.
func benchBatch(server string) int {
	if server == "MongoDB" {
		return 10_000
	}
	return 1_000
}

// BenchmarkIngest runs on every server of servers(), each sub-benchmark named after it (FerretDB's
// figures are the stand-in's, not MongoDB's):
// go test -run=^$ -bench=Ingest -benchtime=5x ./node/store/mongo/
func BenchmarkIngest(b *testing.B) {
	for name, uri := range servers() {
		b.Run(name, func(b *testing.B) {
			storetest.BenchIngest(b, benchBatch(name), func(b *testing.B) store.Store { return openDB(b, uri, Options{Timeout: 10 * time.Minute}) })
		})
	}
}

// BenchmarkPointRead reads one DID's operations from a database holding IONODE_STORE_BENCH_OPS
// operations (default 10,000: FerretDB ingests slowly and scans the whole table per query, so a
// million is out of its reach; set 1000000 against real MongoDB), on every server of servers():
// go test -run=^$ -bench=PointRead -benchtime=200x ./node/store/mongo/
func BenchmarkPointRead(b *testing.B) {
	n := 10_000
	if v, err := strconv.Atoi(os.Getenv("IONODE_STORE_BENCH_OPS")); err == nil && v > 0 {
		n = v
	}
	for name, uri := range servers() {
		b.Run(name, func(b *testing.B) {
			s := openDB(b, uri, Options{Timeout: 10 * time.Minute})
			suffixes := storetest.LoadForReads(b, s, n, benchBatch(name))
			storetest.MeasurePointReads(b, s, suffixes)
		})
	}
}

// BenchmarkGeneration reads DIDs' generations alone, one round trip each: what every resolution served
// from the node's answer cache costs against this store (the Pebble store answers most of them from its
// in-memory state memo); on every server of servers():
// go test -run=^$ -bench=Generation -benchtime=1000x ./node/store/mongo/
func BenchmarkGeneration(b *testing.B) {
	for name, uri := range servers() {
		b.Run(name, func(b *testing.B) {
			s := openDB(b, uri, Options{Timeout: 10 * time.Minute})
			suffixes := storetest.LoadForReads(b, s, 2_000, benchBatch(name))
			storetest.MeasureGenerations(b, s, suffixes)
		})
	}
}
