package node

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/anchor/ionrules"
	"github.com/ionode/ionode/cas"
	"github.com/ionode/ionode/node/verify"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// ContentFetcher is what the processor needs of the CAS.
type ContentFetcher interface {
	Get(ctx context.Context, cid string, maxSize int64) ([]byte, error)
}

// LockResolver finds a writer's value time lock by the identifier a core index file names (ION's
// blockchain.getValueTimeLock, answered by the bitcoin service's LockResolver). A nil lock with a nil
// error is ION's 404: the transaction is judged as having no lock. A *sidetree.Error is an answer the
// core does not accept (an identifier that does not route to the lock endpoint): the transaction is
// discarded. Any other error means the chain cannot be asked now: the transaction is retried later.
type LockResolver interface {
	ValueTimeLock(ctx context.Context, identifier string) (*ionrules.ValueTimeLock, error)
}

// FileProcessor is the node's TransactionProcessor: it checks a transaction's fee, fetches its batch
// files from the CAS and composes its operations, as the reference's TransactionProcessor.
type FileProcessor struct {
	Network sidetree.Network
	CAS     ContentFetcher
	// Locks resolves writer lock ids; nil: no lock is ever found (batches above
	// maxNumberOfOperationsForNoValueTimeLock, 100 on ION, are invalid).
	Locks LockResolver
	// FetchTimeout bounds each file fetch (ION: 10 s in its IPFS client).
	FetchTimeout time.Duration
	// Workers bounds the goroutines that compute a batch's signature verdicts (GOMAXPROCS when ≤ 0).
	Workers int
	Metrics *Metrics
}

// Operations implements TransactionProcessor.
func (p *FileProcessor) Operations(ctx context.Context, tx Transaction) ([]sidetree.AnchoredOperation, error) {
	params := p.Network.ParametersAt(tx.Time)
	a, err := anchor.ParseAnchorString(tx.AnchorString)
	if err != nil {
		return nil, err
	}
	if err := ionrules.VerifyTransactionFee(int64(tx.FeePaid), a.Operations, int64(tx.NormalizedFee), params); err != nil {
		return nil, err
	}
	r := &batch.Reader{
		Parameters: params,
		Fetch: func(uri string, max int) ([]byte, error) {
			timeout := p.FetchTimeout
			if timeout <= 0 {
				timeout = 10 * time.Second
			}
			fctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			data, err := p.CAS.Get(fctx, uri, int64(max))
			if err != nil {
				p.Metrics.CASFetchFailed(fetchReason(err))
			}
			return data, err
		},
		CheckCore: func(core *batch.CoreIndexFile) error {
			// The reference looks the lock up whenever the core index file names one, whatever the
			// operation count (TransactionProcessor.downloadAndVerifyCoreIndexFile).
			var lock *ionrules.ValueTimeLock
			if core.WriterLockID != "" && p.Locks != nil {
				var err error
				lock, err = p.Locks.ValueTimeLock(ctx, core.WriterLockID)
				var protocol *sidetree.Error
				if errors.As(err, &protocol) {
					return err
				}
				if err != nil {
					return fmt.Errorf("%w: value time lock %s: %v", ErrFilesUnavailable, core.WriterLockID, err)
				}
			}
			return ionrules.VerifyLockAmount(lock, a.Operations, int64(tx.Time), tx.Writer, p.Network)
		},
	}
	// Each operation's signature is checked once, here, on every core; the store keeps the verdict with
	// the operation and resolution reads it instead of verifying again. The checks start as soon as the
	// proof files are read, while the reader goes on to the chunk file.
	var pending *verify.Pending
	r.Signed = func(parts []batch.SignedPart) { pending = verify.Start(ctx, parts, p.Workers) }
	ops, err := r.Read(batch.Transaction{Number: tx.Number, Time: tx.Time, OperationCount: a.Operations, CoreIndexFileURI: a.CoreIndexURI})
	var verr error
	if pending != nil && err == nil {
		verr = pending.Apply(ops)
	} else {
		// A read that failed composed its operations from fewer files than the parts came from.
		if pending != nil {
			pending.Stop()
		}
		verr = verify.Verdicts(ctx, ops, p.Workers)
	}
	if verr != nil {
		return nil, verr
	}
	if err != nil && (errors.Is(err, cas.ErrNotFound) || errors.Is(err, cas.ErrUnreachable) || errors.Is(err, ErrFilesUnavailable)) {
		// Not available now: the reference retries such transactions; what could be read is kept.
		return ops, fmt.Errorf("%w: %v", ErrFilesUnavailable, err)
	}
	if err == nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return ops, err
}

func fetchReason(err error) string {
	switch {
	case errors.Is(err, cas.ErrNotFound):
		return "not_found"
	case errors.Is(err, cas.ErrTooLarge):
		return "too_large"
	case errors.Is(err, cas.ErrInvalidCID):
		return "invalid_cid"
	case errors.Is(err, cas.ErrNotAFile):
		return "not_a_file"
	case errors.Is(err, cas.ErrUnreachable):
		return "unreachable"
	}
	return "other"
}
