package benchnode

import (
	"context"
	"time"

	"github.com/ionode/ionode/bench/internal/report"
)

// Settle waits until this process (the node) has been nearly idle (under 5 % of a core) for two
// consecutive half seconds, at most limit: after a bulk load the embedded store compacts in the
// background for a while, and a latency measurement taken then measures the compactions. It returns
// how long it waited.
func Settle(ctx context.Context, limit time.Duration) time.Duration {
	const step = 500 * time.Millisecond
	start := time.Now()
	quiet := 0
	prev := report.Self()
	for quiet < 2 && time.Since(start) < limit {
		select {
		case <-ctx.Done():
			return time.Since(start)
		case <-time.After(step):
		}
		now := report.Self()
		if now.Sub(prev).CPU() < step/20 {
			quiet++
		} else {
			quiet = 0
		}
		prev = now
	}
	return time.Since(start)
}
