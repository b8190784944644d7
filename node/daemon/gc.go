package daemon

import (
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/ionode/ionode/internal/gcfloor"
)

// DefaultGCPercent halves Go's default heap growth between collections. With CGO_ENABLED=0 Pebble's
// block cache is Go memory, and between collections the heap grows by this percentage of it: at 100 a
// resolver with 100,000 DIDs cycled through ~180 MB of fresh memory, which on small virtual machines
// (shadow page tables, memory returned to the host) made resolution's tail several times slower than the
// memory itself was worth. The resolution caches now live outside the Go heap (internal/bytecache), so a
// serving node's heap is small (~16 MiB) and 200 would collect a quarter as often; but sync's heap is not
// (bench/sync -node daemon peaked at 218–236 MiB at 200 against 147–150 MiB at 50, ingesting no faster),
// so the default stays here (README, performance).
const DefaultGCPercent = 50

// DefaultGCHeapFloorMB keeps a serving node from collecting while its heap is small: with the caches
// outside the Go heap its live heap is ~16 MiB, which at DefaultGCPercent meant a collection every 8 MiB
// allocated (several a second at 5,000 requests/s), each a window in which requests wait longer for a
// thread. A sync's live heap is larger than the floor, so its target and peak memory stay as
// DefaultGCPercent sets them (README, performance).
const DefaultGCHeapFloorMB = 128

// ApplyGC sets the process's collector target from the configuration: percent (0: Go's default), raised
// while the live heap is small so that the heap may grow to floorMB MiB before a collection (0: no
// floor). GOGC in the environment wins over both. The Floor it returns, when not nil, keeps adjusting
// after every collection until it is stopped.
func ApplyGC(percent, floorMB int, log *slog.Logger) *gcfloor.Floor {
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
	return gcfloor.Start(percent, uint64(floorMB)<<20)
}
