package client

import (
	"context"
	"math/rand/v2"
	"time"
)

// Retry tunes the retries of idempotent requests. The zero value retries twice (three attempts), from
// 200 ms doubling up to 5 s, with jitter; a node's Retry-After is honoured up to Max.
type Retry struct {
	Attempts int           // total attempts; 0: 3; 1: no retry
	Base     time.Duration // the first wait; 0: 200 ms
	Max      time.Duration // the longest wait; 0: 5 s
}

func (r Retry) attempts() int {
	if r.Attempts <= 0 {
		return 3
	}
	return r.Attempts
}

// delay is the wait before attempt try+1: the node's hint when it gave one, else exponential backoff
// with full jitter (so that many clients refused together do not come back together).
func (r Retry) delay(try int, hint time.Duration) time.Duration {
	base, most := r.Base, r.Max
	if base <= 0 {
		base = 200 * time.Millisecond
	}
	if most <= 0 {
		most = 5 * time.Second
	}
	if hint > 0 {
		return min(hint, most)
	}
	d := base << min(try, 16)
	if d <= 0 || d > most {
		d = most
	}
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
