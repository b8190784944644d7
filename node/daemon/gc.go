package daemon

import (
	"log/slog"
	"os"
	"runtime/debug"
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

// ApplyGCPercent sets the process's GC target from the configuration unless the operator chose one with
// GOGC, which always wins.
func ApplyGCPercent(percent int, log *slog.Logger) {
	if percent <= 0 {
		return
	}
	if v, ok := os.LookupEnv("GOGC"); ok {
		log.Debug("GOGC set in the environment; --gc-percent ignored", "GOGC", v)
		return
	}
	debug.SetGCPercent(percent)
}
