// Package gcfloor keeps the Go collector from running while the heap is small. The collector starts a
// cycle when the heap reaches the live heap × (1 + GOGC/100): a serving node whose live heap is ~16 MiB
// (its caches live outside the Go heap) collects after every 8 MiB allocated at GOGC 50, several times a
// second under load, and on a two-core VM each cycle's mark phase and stop-the-world pauses are where
// requests wait longest for a thread. A floor raises the target to at least floor bytes while the live
// heap is small, and leaves GOGC's target alone once the live heap is large (sync's), where a larger
// percentage would only grow the peak memory.
//
// bytedance/gopkg's gctuner does the same, but reads the live heap with runtime.ReadMemStats after every
// cycle, which stops the world: the pause this package exists to make rarer. Reading runtime/metrics
// does not.
package gcfloor

import (
	"log/slog"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// MaxPercent bounds the percentage the floor may set: with a tiny live heap (an idle node just started)
// the floor alone would ask for tens of thousands.
const MaxPercent = 1000

const liveHeapMetric = "/gc/heap/live:bytes"

// Percent is the GC percentage that puts the collector's target at floor bytes over live bytes of live
// heap, never below percent (the configured one) nor above MaxPercent (unless percent is).
func Percent(percent int, floor, live uint64) int {
	if live == 0 || floor <= live {
		return percent
	}
	need := (floor - live) * 100 / live
	if need > MaxPercent {
		need = MaxPercent
	}
	return max(percent, int(need))
}

// Floor re-sets the GC percentage after every collection from the live heap the collection found and,
// when it has a Demand, from whether the process is busy.
type Floor struct {
	percent int
	floor   uint64
	demand  Demand // nil: the floor always holds
	log     *slog.Logger

	mu      sync.Mutex // Stop against the finalizer goroutine's adjust
	stopped bool
	sample  []metrics.Sample
	set     int  // the percentage last set
	held    bool // whether the floor held for the current cycle
}

// Start sets the GC percentage to percent, raised while the live heap is small so that the collector's
// target stays at least floor bytes, and keeps it so after every collection until Stop. With a demand,
// the floor holds only for the cycles after a collection at which demand was busy.
func Start(percent int, floor uint64, demand Demand, log *slog.Logger) *Floor {
	f := &Floor{percent: percent, floor: floor, demand: demand, log: log, sample: []metrics.Sample{{Name: liveHeapMetric}}}
	f.set = percent
	debug.SetGCPercent(percent)
	f.adjust()
	f.arm()
	return f
}

// Stop ends the adjusting and sets the configured percentage back.
func (f *Floor) Stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.stopped {
		f.stopped = true
		debug.SetGCPercent(f.percent)
	}
}

// sentinel holds a pointer so that it is never a tiny allocation: the runtime batches pointer-free
// objects under 16 bytes into shared blocks, and a finalizer on one may never run while its block is
// kept by a neighbour (runtime.SetFinalizer's documentation).
type sentinel struct{ _ *Floor }

// arm registers a sentinel whose finalizer runs after the next collection that finds it unreachable,
// which is the next one: the finalizer adjusts and arms again.
func (f *Floor) arm() {
	runtime.SetFinalizer(&sentinel{f}, func(*sentinel) {
		if f.adjust() {
			f.arm()
		}
	})
}

// adjust sets the percentage for the live heap now; it reports false once stopped.
func (f *Floor) adjust() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return false
	}
	held := f.demand == nil || f.demand.Busy()
	if held != f.held && f.log != nil {
		f.log.Debug("GC heap floor", "held", held, "floor_mib", f.floor>>20)
	}
	f.held = held
	p := f.percent
	if f.held {
		metrics.Read(f.sample)
		if f.sample[0].Value.Kind() == metrics.KindUint64 { // else the runtime no longer reports it
			p = Percent(f.percent, f.floor, f.sample[0].Value.Uint64())
		}
	}
	if p != f.set {
		f.set = p
		debug.SetGCPercent(p)
	}
	return true
}
