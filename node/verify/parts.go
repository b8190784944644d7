package verify

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// Pending is the verdicts of a batch's signed parts (batch.Reader's Signed hook), computed by goroutines
// started while the reader goes on to the chunk file: the signatures are checked during the rest of the
// read, and each operation is parsed once (by the reader), not again from its composed body.
//
// The work is the parts the reader already holds, claimed one at a time by index: nothing is buffered
// beyond them, and every goroutine is joined by Apply or Stop.
type Pending struct {
	ctx      context.Context
	cancel   context.CancelFunc
	parts    []batch.SignedPart
	verdicts []sidetree.Verdict
	next     atomic.Int64
	wg       sync.WaitGroup
}

// Start begins computing parts' verdicts on workers−1 goroutines (GOMAXPROCS when workers ≤ 0): the
// caller, still reading, is the last worker, and joins in Apply.
func Start(ctx context.Context, parts []batch.SignedPart, workers int) *Pending {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &Pending{parts: parts, verdicts: make([]sidetree.Verdict, len(parts))}
	p.ctx, p.cancel = context.WithCancel(ctx)
	for range min(workers-1, len(parts)) {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.work()
		}()
	}
	return p
}

// work computes verdicts until none is left or the context ends.
func (p *Pending) work() {
	for p.ctx.Err() == nil {
		i := int(p.next.Add(1)) - 1
		if i >= len(p.parts) {
			return
		}
		part := &p.parts[i]
		p.verdicts[i] = sidetree.PartsVerdict(part.Type, part.DIDSuffix, part.RevealValue, part.SignedData)
		// Compose releases each proof once its body is written; so does this copy, once checked.
		part.SignedData = ""
	}
}

// Apply sets the verdict of every operation of ops, which batch.Reader.Read composed from the parts
// without error: a part's verdict at its index, VerdictInvalid for a create (it carries no signature),
// and ComputeVerdict from the bytes for any operation no part describes (none, from a Read that
// succeeded). The calling goroutine computes alongside the others until all are done. It returns ctx's
// error if it ended first; the verdicts set by then are correct.
func (p *Pending) Apply(ops []sidetree.AnchoredOperation) error {
	p.work()
	p.wg.Wait()
	defer p.cancel()
	if err := p.ctx.Err(); err != nil {
		return err
	}
	covered := make([]bool, len(ops))
	for i, part := range p.parts {
		if part.Index < len(ops) && ops[part.Index].Type == part.Type && ops[part.Index].DIDSuffix == part.DIDSuffix {
			ops[part.Index].Verdict = p.verdicts[i]
			covered[part.Index] = true
		}
	}
	for i := range ops {
		switch {
		case covered[i]:
		case ops[i].Type == sidetree.OpCreate:
			ops[i].Verdict = sidetree.VerdictInvalid
		default:
			compute(&ops[i])
		}
	}
	return nil
}

// Stop abandons the verdicts (the read failed: its operations are not the parts') and waits for the
// goroutines to end.
func (p *Pending) Stop() {
	p.cancel()
	p.wg.Wait()
}
