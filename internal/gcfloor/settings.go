package gcfloor

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// DefaultPercent, the node's --gc-percent, halves Go's default heap growth between collections. With
// CGO_ENABLED=0 Pebble's block cache is Go memory, and between collections the heap grows by this
// percentage of it: at 100 a resolver with 100,000 DIDs cycled through ~180 MB of fresh memory, which on
// small virtual machines (shadow page tables, memory returned to the host) made resolution's tail several
// times slower than the memory itself was worth. The resolution caches now live outside the Go heap
// (internal/bytecache), so a serving node's heap is small (~16 MiB) and 200 would collect a quarter as
// often; but sync's heap is not (bench/sync -node daemon peaked at 218–236 MiB at 200 against 147–150 MiB
// at 50, ingesting no faster), so the default stays here (README, performance).
const DefaultPercent = 50

// DefaultFloorMB, the node's --gc-heap-floor-mb, is the heap a busy node lets grow before it collects.
// A serving node's live heap is ~16 MiB with the caches outside the Go heap, which at DefaultPercent
// means a collection every 8 MiB allocated, several a second at 5,000 requests/s, each a window in which
// requests wait longer for a thread (README, performance: a 128 MiB floor took the 5,000/s p99 from
// 2.1–3.3 ms to 1.65–2.3 ms, for ~100 MiB more RSS). The node holds it only while busy (DefaultBusyRate):
// every byte under the floor is memory a process faults in before it first collects, which costs more
// than the collections it saves in a sync (peak RSS 177 → 225 MiB, bench/sync -ops 300000) or in a
// short-lived process (bench/compare's fresh workers resolved long-form DIDs at half the rate).
const DefaultFloorMB = 128

// Apply sets the process's collector target from the configuration: percent (0: Go's default), raised
// while the live heap is small and demand is busy so that the heap may grow to floorMB MiB before a
// collection (0: no floor; a nil demand: always). GOGC in the environment wins over both. The Floor it
// returns, when not nil, keeps adjusting after every collection until it is stopped.
func Apply(percent, floorMB int, demand Demand, log *slog.Logger) *Floor {
	if v, ok := os.LookupEnv("GOGC"); ok {
		log.Debug("GOGC set in the environment; --gc-percent and --gc-heap-floor-mb ignored", "GOGC", v)
		return nil
	}
	if percent <= 0 {
		percent = 100
	}
	if floorMB <= 0 {
		debug.SetGCPercent(percent)
		return nil
	}
	return Start(percent, uint64(floorMB)<<20, demand, log)
}
