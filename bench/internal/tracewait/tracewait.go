// Package tracewait reads an execution trace and tells how long goroutines waited for a thread once
// runnable, inside and outside the garbage collector's mark phases: whether the collector explains a
// latency tail (bench/resolve -trace prints it for the node's warm run).
package tracewait

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"golang.org/x/exp/trace"

	"github.com/ionode/ionode/bench/internal/loadgen"
)

// markPhase is the runtime's name for the collector's concurrent mark phase in a trace.
const markPhase = "GC concurrent mark phase"

// Result is a trace's mark phases and goroutine waits.
type Result struct {
	Span, InMark time.Duration // the trace's length, and the part of it inside mark phases
	Phases       int           // mark phases begun
	// Waits from runnable to running, by whether they began inside a mark phase.
	Inside, Outside Waits
}

// Waits are goroutine waits for a thread.
type Waits []time.Duration

// Quantile is the q-quantile wait by nearest rank, as the load generator's latencies (0 when there are
// none).
func (w Waits) Quantile(q float64) time.Duration { return loadgen.NearestRank(w, q) }

// Over counts the waits longer than d.
func (w Waits) Over(d time.Duration) int {
	i, _ := slices.BinarySearch(w, d+1)
	return len(w) - i
}

func (w Waits) String() string {
	return fmt.Sprintf("%d waits: p50 %s, p90 %s, p99 %s, p99.9 %s; over 1 ms: %d", len(w), ms(w.Quantile(0.5)), ms(w.Quantile(0.9)),
		ms(w.Quantile(0.99)), ms(w.Quantile(0.999)), w.Over(time.Millisecond))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }

// String summarizes the result in one line.
func (r Result) String() string {
	share := 0.0
	if r.Span > 0 {
		share = 100 * float64(r.InMark) / float64(r.Span)
	}
	return fmt.Sprintf("%d mark phases, %.1f %% of %s; waits for a thread begun inside them: %s; outside: %s",
		r.Phases, share, r.Span.Round(time.Millisecond), r.Inside, r.Outside)
}

// Read reads a trace to its end.
func Read(in io.Reader) (Result, error) {
	r, err := trace.NewReader(in)
	if err != nil {
		return Result{}, fmt.Errorf("trace: %w", err)
	}
	var (
		res         Result
		first, last trace.Time
		started     bool
		inMark      bool
		markStart   trace.Time
		runnable    = map[trace.GoID]struct {
			at     trace.Time
			inMark bool
		}{}
	)
	for {
		e, err := r.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Result{}, fmt.Errorf("trace: %w", err)
		}
		t := e.Time()
		if !started {
			first, started = t, true
		}
		last = t
		switch e.Kind() {
		case trace.EventRangeBegin, trace.EventRangeActive:
			if e.Range().Name == markPhase && !inMark {
				inMark, markStart = true, t
				res.Phases++
			}
		case trace.EventRangeEnd:
			if e.Range().Name == markPhase && inMark {
				inMark = false
				res.InMark += t.Sub(markStart)
			}
		case trace.EventStateTransition:
			st := e.StateTransition()
			if st.Resource.Kind != trace.ResourceGoroutine {
				continue
			}
			from, to := st.Goroutine()
			id := st.Resource.Goroutine()
			switch {
			case to == trace.GoRunnable:
				runnable[id] = struct {
					at     trace.Time
					inMark bool
				}{t, inMark}
			case from == trace.GoRunnable && to == trace.GoRunning:
				w, ok := runnable[id]
				if !ok {
					continue
				}
				delete(runnable, id)
				if w.inMark || inMark {
					res.Inside = append(res.Inside, t.Sub(w.at))
				} else {
					res.Outside = append(res.Outside, t.Sub(w.at))
				}
			}
		}
	}
	if inMark {
		res.InMark += last.Sub(markStart)
	}
	res.Span = last.Sub(first)
	slices.Sort(res.Inside)
	slices.Sort(res.Outside)
	return res, nil
}
