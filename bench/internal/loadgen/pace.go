package loadgen

import (
	"context"
	"time"
)

// pacer makes the open loop's dispatcher wait for each request's due time at a bounded CPU cost. It
// sleeps (no CPU) until margin before the due time and busy-waits the rest. margin follows
// the median of how late this run's sleeps woke, so on a quiet machine the spin shrinks to what the
// kernel's wake-up actually needs, and it never exceeds maxSpin: the busy-wait costs at most
// maxSpin × rate of a core. A sleep that wakes later than margin sends late, and the latency, always
// counted from the due time, charges that lateness to the run.
//
// Spinning the whole interval instead (a fixed 200 µs before each request at 5,000 requests/s) kept one
// of the machine's two cores busy: the node then waited for a CPU itself.
type pacer struct {
	maxSpin time.Duration
	margin  time.Duration // current estimate of a sleep's lateness: how early to wake
	step    time.Duration // how far one observation moves margin

	// What the run cost: total busy-wait time and the number of sleeps.
	spun   time.Duration
	sleeps int
}

// newPacer bounds the busy-wait before each request to maxSpin, and to a quarter of the interval
// between requests, so that a high rate cannot turn the dispatcher into a spinning core.
func newPacer(maxSpin, interval time.Duration) *pacer {
	maxSpin = max(min(maxSpin, interval/4), 0)
	return &pacer{maxSpin: maxSpin, margin: maxSpin / 2, step: max(maxSpin/64, 250*time.Nanosecond)}
}

// wait returns at due (or as soon after it as the thread runs), or early when ctx is done. sleep
// blocks until the time it is given or until something else needs the caller (then it reports false,
// and the wake-up says nothing about the sleep's lateness).
func (p *pacer) wait(ctx context.Context, due time.Time, sleep func(until time.Time) (full bool, err error)) error {
	for ctx.Err() == nil {
		left := time.Until(due)
		if left <= 0 {
			return nil
		}
		if left <= p.margin {
			spinStart := time.Now()
			for time.Now().Before(due) {
			}
			p.spun += time.Since(spinStart)
			return nil
		}
		// Wake now and then to see a cancelled context.
		target := due.Add(-p.margin)
		if limit := time.Now().Add(10 * time.Millisecond); limit.Before(target) {
			target = limit
		}
		full, err := sleep(target)
		if err != nil {
			return err
		}
		if full {
			p.sleeps++
			p.observe(time.Since(target))
		}
	}
	return nil
}

// observe moves margin toward the median lateness (equal steps up and down settle where half the
// sleeps wake later than margin), within [0, maxSpin].
func (p *pacer) observe(late time.Duration) {
	if late > p.margin {
		p.margin = min(p.margin+p.step, p.maxSpin)
	} else {
		p.margin = max(p.margin-p.step, 0)
	}
}
