package verify

import (
	"context"
	"runtime"
	"sync"

	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// Pending is the verdicts of a batch's signed parts (batch.Reader's Signed hook), computed by goroutines
// started while the reader goes on: the signatures are checked during the rest of the read, and each
// operation is parsed once (by the reader), not again from its composed body.
//
// The work is the parts the reader has handed over, claimed one at a time by index: nothing is buffered
// beyond them, and every goroutine is joined by Apply or Stop.
type Pending struct {
	ctx      context.Context
	cancel   context.CancelFunc
	mu       sync.Mutex
	more     sync.Cond // a part was added, the parts are closed, or ctx ended
	parts    []batch.SignedPart
	verdicts []sidetree.Verdict
	next     int  // the next part to claim
	closed   bool // no part will be added
	wg       sync.WaitGroup
}

// Start begins computing parts' verdicts on workers−1 goroutines (GOMAXPROCS when workers ≤ 0): the
// caller, still reading, is the last worker, and joins in Apply.
func Start(ctx context.Context, parts []batch.SignedPart, workers int) *Pending {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := Open(ctx, min(workers, len(parts)+1))
	p.Add(parts)
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	return p
}

// Open starts workers−1 goroutines (GOMAXPROCS when workers ≤ 0) that compute the verdicts of the parts
// Add hands them, as they arrive, until Apply or Stop.
func Open(ctx context.Context, workers int) *Pending {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &Pending{}
	p.more.L = &p.mu
	p.ctx, p.cancel = context.WithCancel(ctx)
	context.AfterFunc(p.ctx, func() { // wakes the workers waiting for parts
		p.mu.Lock()
		p.more.Broadcast()
		p.mu.Unlock()
	})
	for range workers - 1 {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.work()
		}()
	}
	return p
}

// Add hands over parts not given before (the reader's, as it learns them).
func (p *Pending) Add(parts []batch.SignedPart) {
	if len(parts) == 0 {
		return
	}
	p.mu.Lock()
	p.parts = append(p.parts, parts...)
	p.verdicts = append(p.verdicts, make([]sidetree.Verdict, len(parts))...)
	p.more.Broadcast()
	p.mu.Unlock()
}

// work computes verdicts until the parts are closed and none is left, or the context ends.
func (p *Pending) work() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		for p.next >= len(p.parts) && !p.closed && p.ctx.Err() == nil {
			p.more.Wait()
		}
		if p.next >= len(p.parts) || p.ctx.Err() != nil {
			return
		}
		i := p.next
		p.next++
		part := p.parts[i]
		// Compose releases each proof once its body is written; so does this copy, once claimed.
		p.parts[i].SignedData, p.parts[i].Parsed = "", nil
		p.mu.Unlock()
		v := Part(&part)
		p.mu.Lock()
		p.verdicts[i] = v
	}
}

// Apply sets the verdict of every operation of ops, which batch.Reader.Read composed from the parts
// without error: a part's verdict at its index, VerdictInvalid for a create (it carries no signature),
// and ComputeVerdict from the bytes for any operation no part describes (none, from a Read that
// succeeded). The calling goroutine computes alongside the others until all are done. It returns ctx's
// error if it ended first; the verdicts set by then are correct.
func (p *Pending) Apply(ops []sidetree.AnchoredOperation) error {
	p.mu.Lock()
	p.closed = true
	p.more.Broadcast()
	p.mu.Unlock()
	p.work()
	err := p.ctx.Err()
	p.cancel()
	p.wg.Wait()
	if err != nil {
		return err
	}
	return p.apply(ops)
}

func (p *Pending) apply(ops []sidetree.AnchoredOperation) error {
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

// Part is the verdict of one signed part: from its parsed JWS when the reader kept it, else from its
// compact JWS (both equal sidetree.ComputeVerdict of the body the part composes).
func Part(part *batch.SignedPart) sidetree.Verdict {
	if part.Parsed != nil {
		return sidetree.ParsedPartsVerdict(part.Type, part.DIDSuffix, part.RevealValue, *part.Parsed)
	}
	return sidetree.PartsVerdict(part.Type, part.DIDSuffix, part.RevealValue, part.SignedData)
}
