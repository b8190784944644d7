package batch

import (
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// maxAllocsPerOperation bounds what reading a batch allocates per operation, beyond what it allocates
// per batch: a 10,000-operation batch read with an allocation or two per string it holds spent a third
// of its time in the allocator and the collector. The mixed batches here (all four types) need about 0.5:
// a create's DID suffix; strings share the files' bytes, and bodies, payloads and objects share blocks.
const maxAllocsPerOperation = 1.0

// TestReadAllocationsPerOperation: reading twice the operations costs at most maxAllocsPerOperation
// more allocations per added operation (allocations counted, not time).
func TestReadAllocationsPerOperation(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	requests, _ := randomBatch(t, 240, 5)
	allocs := func(n int) float64 {
		cas, _, tx := builtBatch(t, requests[:n], p)
		r := &Reader{Parameters: p, Fetch: cas.fetch}
		return testing.AllocsPerRun(5, func() {
			if ops, err := r.Read(tx); err != nil || len(ops) != n {
				t.Fatal(len(ops), err)
			}
		})
	}
	small, large := allocs(120), allocs(240)
	if perOp := (large - small) / 120; perOp > maxAllocsPerOperation {
		t.Errorf("reading allocates %.2f times per operation (%v for 120 operations, %v for 240), want at most %v", perOp, small, large, maxAllocsPerOperation)
	} else {
		t.Logf("%.2f allocations per operation (%v for 120 operations, %v for 240)", perOp, small, large)
	}
}
