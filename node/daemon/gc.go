package daemon

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// DefaultGCPercent halves Go's default heap growth between collections. A node's live heap is mostly
// the store's block cache and the in-memory DID states (with CGO_ENABLED=0 Pebble's cache is Go memory),
// and between collections the heap grows by this percentage of it: at 100 a resolver with 100,000 DIDs
// cycled through ~180 MB of fresh memory, which on small virtual machines (shadow page tables, memory
// returned to the host) made resolution's tail several times slower than the memory itself was worth.
// bench/resolve -hold measured p99 3.5–4.0 ms at 400 and 1.7–1.9 ms at 50 (README, performance); sync
// with it (bench/sync -node daemon) still ingested 27,827 ops/s, 56 % of the single-core limit.
const DefaultGCPercent = 50

// applyGCPercent sets the process's GC target from the configuration unless the operator chose one with
// GOGC, which always wins.
func applyGCPercent(percent int, log *slog.Logger) {
	if percent <= 0 {
		return
	}
	if v, ok := os.LookupEnv("GOGC"); ok {
		log.Debug("GOGC set in the environment; --gc-percent ignored", "GOGC", v)
		return
	}
	debug.SetGCPercent(percent)
}
