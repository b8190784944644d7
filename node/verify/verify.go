package verify

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/ionode/ionode/sidetree"
)

// chunk is how many operations a worker claims at a time: large enough that claiming costs nothing
// beside ~100 µs verifications, small enough that the last worker does not finish long after the others.
const chunk = 16

// Verdicts sets ops[i].Verdict to sidetree.ComputeVerdict(ops[i].Raw) for every operation (a verdict
// already set is computed again: it may not belong to these bytes), using at most workers goroutines (GOMAXPROCS when workers ≤ 0). It returns ctx's error if
// it was canceled before every verdict was computed; the verdicts set by then are correct.
func Verdicts(ctx context.Context, ops []sidetree.AnchoredOperation, workers int) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, (len(ops)+chunk-1)/chunk)
	if workers <= 1 {
		for i := range ops {
			if i%chunk == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			compute(&ops[i])
		}
		return nil
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				start := int(next.Add(chunk)) - chunk
				if start >= len(ops) {
					return
				}
				for i := start; i < min(start+chunk, len(ops)); i++ {
					compute(&ops[i])
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

func compute(op *sidetree.AnchoredOperation) { op.Verdict = sidetree.ComputeVerdict(op.Raw) }
