package chainbuild

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/ionode/ionode/bench/internal/gen"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// built is one batch ready to anchor.
type built struct {
	batch  Batch
	anchor string
	took   time.Duration
	err    error
}

// lockIDs are the lock identifiers of the chain's periods, each set once the anchoring loop has locked it.
type lockIDs struct {
	ids   []string
	ready []chan struct{}
}

func newLockIDs(n int) *lockIDs {
	l := &lockIDs{ids: make([]string, n), ready: make([]chan struct{}, n)}
	for i := range l.ready {
		l.ready[i] = make(chan struct{})
	}
	return l
}

func (l *lockIDs) set(period int, id string) {
	l.ids[period] = id
	close(l.ready[period])
}

func (l *lockIDs) get(ctx context.Context, period int) (string, error) {
	select {
	case <-l.ready[period]:
		return l.ids[period], nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// builders is the output of the batch builders: out[i] delivers batch i.
type builders struct {
	out    []chan built
	tokens chan struct{}
}

// release lets the builders start one more batch, after the anchoring loop took one.
func (b *builders) release() { <-b.tokens }

// startBuilders builds the plan's batches on cfg.Workers goroutines, at most two batches beyond the
// workers ahead of the anchoring loop. A builder takes a token before it takes the next index, so the
// lowest batch not yet anchored is always being built or done: the loop never waits on a builder that
// waits for a token. A batch's requests are generated first; its files are built once its period's lock
// is known.
func startBuilders(ctx context.Context, cfg Config, keys gen.Keys, p sidetree.Parameters, locks *lockIDs, period int, put func([]byte) (string, error)) *builders {
	workers := cfg.Workers
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := cfg.Plan.Len()
	b := &builders{out: make([]chan built, n), tokens: make(chan struct{}, workers+2)}
	for i := range b.out {
		b.out[i] = make(chan built, 1)
	}
	var next atomic.Int64
	for range workers {
		go func() {
			for {
				select {
				case b.tokens <- struct{}{}:
				case <-ctx.Done():
					return
				}
				i := int(next.Add(1) - 1)
				if i >= n {
					<-b.tokens
					return
				}
				start := time.Now()
				r := built{}
				r.batch, r.err = cfg.Plan.Batch(keys, i, p)
				if r.err == nil {
					r.took = time.Since(start)
					var lock string
					if lock, r.err = locks.get(ctx, i/period); r.err == nil {
						start = time.Now()
						r.anchor, _, r.err = batch.Build(r.batch.Requests, lock, p, put)
						r.took += time.Since(start)
					}
				}
				b.out[i] <- r
			}
		}()
	}
	return b
}
