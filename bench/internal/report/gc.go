package report

import (
	"fmt"
	"math"
	"runtime/metrics"
	"time"
)

// GC is what this process's garbage collector and scheduler did, read from runtime/metrics: a
// benchmark whose node runs in its own process reads it before and after a run (Sub) to say how much of
// a latency tail the collector can explain.
type GC struct {
	Cycles uint64
	// Mark CPU by kind: assists (taken from the goroutines that allocate), dedicated and idle workers.
	Assist, Dedicated, Idle time.Duration
	LiveHeap                uint64 // bytes marked live by the last cycle
	// Allocated: bytes and objects allocated on the heap, cumulative (Sub: during the run).
	AllocBytes, AllocObjects uint64
	// stop-the-world pauses and goroutine scheduling latencies (runnable → running), cumulative
	pauses, sched *metrics.Float64Histogram
}

var gcMetrics = []string{
	"/gc/cycles/total:gc-cycles",
	"/cpu/classes/gc/mark/assist:cpu-seconds",
	"/cpu/classes/gc/mark/dedicated:cpu-seconds",
	"/cpu/classes/gc/mark/idle:cpu-seconds",
	"/gc/heap/live:bytes",
	"/sched/pauses/total/gc:seconds",
	"/sched/latencies:seconds",
	"/gc/heap/allocs:bytes",
	"/gc/heap/allocs:objects",
}

// ReadGC samples the collector's and the scheduler's counters.
func ReadGC() GC {
	s := make([]metrics.Sample, len(gcMetrics))
	for i, name := range gcMetrics {
		s[i].Name = name
	}
	metrics.Read(s)
	seconds := func(v metrics.Value) time.Duration { return time.Duration(v.Float64() * float64(time.Second)) }
	return GC{
		Cycles: s[0].Value.Uint64(), Assist: seconds(s[1].Value), Dedicated: seconds(s[2].Value), Idle: seconds(s[3].Value),
		LiveHeap: s[4].Value.Uint64(), pauses: s[5].Value.Float64Histogram(), sched: s[6].Value.Float64Histogram(),
		AllocBytes: s[7].Value.Uint64(), AllocObjects: s[8].Value.Uint64(),
	}
}

// Sub is what happened between earlier and g (LiveHeap stays g's).
func (g GC) Sub(earlier GC) GC {
	return GC{Cycles: g.Cycles - earlier.Cycles, Assist: g.Assist - earlier.Assist, Dedicated: g.Dedicated - earlier.Dedicated,
		Idle: g.Idle - earlier.Idle, LiveHeap: g.LiveHeap, pauses: subHist(g.pauses, earlier.pauses), sched: subHist(g.sched, earlier.sched),
		AllocBytes: g.AllocBytes - earlier.AllocBytes, AllocObjects: g.AllocObjects - earlier.AllocObjects}
}

// String summarizes the collector's work: cycles, mark CPU and the pauses.
func (g GC) String() string {
	return fmt.Sprintf("%d cycles, live heap %s; mark CPU %s (assists %s, dedicated %s, idle %s); stop-the-world pauses p99 %s, max %s",
		g.Cycles, MiB(int64(g.LiveHeap)), (g.Assist + g.Dedicated + g.Idle).Round(time.Millisecond), g.Assist.Round(time.Millisecond),
		g.Dedicated.Round(time.Millisecond), g.Idle.Round(time.Millisecond), histQuantile(g.pauses, 0.99), histQuantile(g.pauses, 1))
}

// PerRequest is what was allocated per request over n requests.
func (g GC) PerRequest(n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f B in %.1f objects", float64(g.AllocBytes)/float64(n), float64(g.AllocObjects)/float64(n))
}

// Scheduling summarizes how long goroutines waited, runnable, for a thread (the runtime samples them).
func (g GC) Scheduling() string {
	return fmt.Sprintf("p50 %s, p99 %s, p99.9 %s, max %s", histQuantile(g.sched, 0.5), histQuantile(g.sched, 0.99),
		histQuantile(g.sched, 0.999), histQuantile(g.sched, 1))
}

func subHist(a, b *metrics.Float64Histogram) *metrics.Float64Histogram {
	if a == nil || b == nil || len(a.Counts) != len(b.Counts) {
		return a
	}
	d := &metrics.Float64Histogram{Buckets: a.Buckets, Counts: make([]uint64, len(a.Counts))}
	for i := range a.Counts {
		d.Counts[i] = a.Counts[i] - b.Counts[i]
	}
	return d
}

// histQuantile is the upper bound of the bucket that holds quantile q (1: the highest non-empty bucket),
// formatted (the runtime's buckets are narrow: a few per power of two); "-" when the histogram is empty.
func histQuantile(h *metrics.Float64Histogram, q float64) string {
	if h == nil {
		return "-"
	}
	var total uint64
	for _, c := range h.Counts {
		total += c
	}
	if total == 0 {
		return "-"
	}
	want := uint64(q * float64(total))
	if want == 0 {
		want = 1
	}
	var seen uint64
	for i, c := range h.Counts {
		seen += c
		if seen >= want {
			if upper := h.Buckets[i+1]; !math.IsInf(upper, 1) {
				return fmt.Sprintf("≤ %.3f ms", upper*1e3)
			}
			return fmt.Sprintf("> %.3f ms", h.Buckets[i]*1e3) // the last bucket is open
		}
	}
	return "-"
}
