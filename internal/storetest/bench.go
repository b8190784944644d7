package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ionode/ionode/node/store"
)

// BenchStream is the benchmarks' stream: transactions of opsPerTx operations (ION's batch maximum is
// 10,000) of 500-1000 bytes each, over a pool of 250,000 DIDs, so that with a million operations a DID
// has a few operations in several transactions.
func BenchStream(transactions, opsPerTx int) Stream {
	return Stream{Seed: 42, Transactions: transactions, DIDs: 250_000, MinOps: opsPerTx, MaxOps: opsPerTx, MinSize: 500, MaxSize: 1000}
}

// BenchIngest measures PutProcessed of opsPerTx-operation transactions (each a durable write) and
// reports operations per second. open returns a fresh store.
func BenchIngest(b *testing.B, opsPerTx int, open func(b *testing.B) store.Store) {
	st := open(b)
	ctx := context.Background()
	s := BenchStream(b.N, opsPerTx)
	bytes := 0
	b.ResetTimer()
	var stored time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer() // generation is not the store's time
		tx, ops := s.Transaction(i)
		for _, op := range ops {
			bytes += len(op.Raw)
		}
		b.StartTimer()
		start := time.Now()
		if err := st.PutProcessed(ctx, tx, ops, Cursor(i+1)); err != nil {
			b.Fatal(err)
		}
		stored += time.Since(start)
	}
	b.StopTimer()
	ops := float64(b.N * opsPerTx)
	b.ReportMetric(ops/stored.Seconds(), "ops/s")
	b.ReportMetric(float64(bytes)/ops, "raw-bytes/op")
}

// LoadForReads ingests n operations (in opsPerTx-operation transactions) and returns the suffixes that
// have operations.
func LoadForReads(tb testing.TB, st store.Store, n, opsPerTx int) []string {
	s := BenchStream(n/opsPerTx, opsPerTx)
	if err := Ingest(context.Background(), st, s, nil); err != nil {
		tb.Fatal(err)
	}
	seen := map[string]bool{}
	var suffixes []string
	for i := 0; i < s.Transactions && len(suffixes) < 50_000; i++ {
		_, ops := s.Transaction(i)
		for _, op := range ops {
			if !seen[op.DIDSuffix] {
				seen[op.DIDSuffix] = true
				suffixes = append(suffixes, op.DIDSuffix)
			}
		}
	}
	return suffixes
}

// MeasurePointReads times Operations for random DIDs (b.N lookups) and reports the p50 and p99
// latencies in microseconds and the operations returned per lookup.
func MeasurePointReads(b *testing.B, st store.Store, suffixes []string) {
	returned := measureReads(b, suffixes, func(ctx context.Context, suffix string) (int, error) {
		ops, _, err := st.Operations(ctx, suffix)
		if err == nil && len(ops) == 0 {
			err = fmt.Errorf("no operations for %s", suffix)
		}
		return len(ops), err
	})
	b.ReportMetric(float64(returned)/float64(b.N), "ops/lookup")
}

// MeasureGenerations reads the generation of DIDs drawn at random from suffixes, b.N times: what a
// resolution served from the node's answer cache asks the store for (the one read that keeps a kept
// answer from going stale), reported as p50-µs and p99-µs.
func MeasureGenerations(b *testing.B, st store.Store, suffixes []string) {
	measureReads(b, suffixes, func(ctx context.Context, suffix string) (int, error) {
		gen, err := st.Generation(ctx, suffix)
		if err == nil && gen == 0 {
			err = fmt.Errorf("no generation for stored DID %s", suffix)
		}
		return 1, err
	})
}

// measureReads times read over DIDs drawn at random from suffixes, b.N times, reports the latency's p50
// and p99, and returns the sum of what the reads counted.
func measureReads(b *testing.B, suffixes []string, read func(ctx context.Context, suffix string) (int, error)) int {
	b.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	lat := make([]time.Duration, 0, b.N)
	returned := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		suffix := suffixes[r.IntN(len(suffixes))]
		start := time.Now()
		n, err := read(ctx, suffix)
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		returned += n
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
	return returned
}
