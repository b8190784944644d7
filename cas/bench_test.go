package cas

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/ionode/ionode/internal/cputime/cputimetest"
)

// Benchmarks of the embedded node on its Pebble blockstore. MB/s is file
// bytes per second (b.SetBytes); the small-file benchmarks also report
// files/s.
//
//	go test -run='^$' -bench=. -benchmem ./cas/...

// distinct returns size bytes of the pattern stream with i stamped in front,
// so that every iteration stores new blocks rather than finding old ones.
func distinct(base []byte, i int) []byte {
	out := append([]byte(nil), base...)
	binary.BigEndian.PutUint64(out, uint64(i))
	return out
}

func BenchmarkNodePut(b *testing.B) {
	for _, size := range []int{1 << 10, 1 << 20, 10 << 20} {
		b.Run(sizeName(size), func(b *testing.B) {
			n := openTestNode(b, b.TempDir())
			base := pattern(size)
			ctx := context.Background()
			b.SetBytes(int64(size))
			// ns/op includes the wait for the disk (Put syncs); cpu-ns/op is the node's own work.
			report := cputimetest.Report(b)
			for i := range b.N {
				b.StopTimer()
				data := distinct(base, i)
				b.StartTimer()
				if _, err := n.Put(ctx, data); err != nil {
					b.Fatal(err)
				}
			}
			report()
			reportFilesPerSecond(b)
		})
	}
}

func BenchmarkNodeGet(b *testing.B) {
	for _, size := range []int{1 << 10, 1 << 20, 10 << 20} {
		b.Run(sizeName(size), func(b *testing.B) {
			n := openTestNode(b, b.TempDir())
			ctx := context.Background()
			// A pool of distinct files, read round-robin.
			const pool = 16
			base := pattern(size)
			cids := make([]string, pool)
			for i := range cids {
				c, err := n.Put(ctx, distinct(base, i))
				if err != nil {
					b.Fatal(err)
				}
				cids[i] = c
			}
			b.SetBytes(int64(size))
			b.ResetTimer()
			for i := range b.N {
				data, err := n.Get(ctx, cids[i%pool], int64(size))
				if err != nil || len(data) != size {
					b.Fatalf("Get: %d bytes, %v", len(data), err)
				}
			}
			reportFilesPerSecond(b)
		})
	}
}

// BenchmarkBitswapGet measures a fetch over bitswap between two nodes on
// loopback: every iteration fetches a file the fetching node has never seen.
func BenchmarkBitswapGet(b *testing.B) {
	for _, size := range []int{1 << 20, 10 << 20} {
		b.Run(sizeName(size), func(b *testing.B) {
			a := openTestNode(b, b.TempDir())
			fetcher := openTestNode(b, b.TempDir(), a.Addrs()...)
			ctx := context.Background()
			base := pattern(size)
			b.SetBytes(int64(size))
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				c, err := a.Put(ctx, distinct(base, i))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				gctx, cancel := context.WithTimeout(ctx, time.Minute)
				data, err := fetcher.Get(gctx, c, int64(size))
				cancel()
				if err != nil || len(data) != size {
					b.Fatalf("Get: %d bytes, %v", len(data), err)
				}
			}
		})
	}
}

func sizeName(size int) string {
	if size >= 1<<20 {
		return fmt.Sprintf("%dMiB", size>>20)
	}
	return fmt.Sprintf("%dKiB", size>>10)
}

func reportFilesPerSecond(b *testing.B) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, "files/s")
	}
}
