package writer

import (
	"context"
	"errors"
	"fmt"
)

// DefaultKeepDepth is how many confirmations a completed batch's transaction needs before the writer
// forgets the batch's operations. 100 blocks is Bitcoin's own finality assumption (coinbase maturity),
// far beyond the deepest reorganizations seen on mainnet (24 blocks in March 2013, 53 in August 2010),
// and the depth at which the wallet (anchor.Writer) prunes its transaction records, so the wallet still
// knows every transaction a kept batch asks about.
const DefaultKeepDepth = 100

// ErrAnchorUnknown is returned by Anchorer.Confirmations for a transaction the wallet does not know
// (any more): a kept batch anchored by it is forgotten.
var ErrAnchorUnknown = errors.New("anchor transaction unknown to the wallet")

// ErrDIDBusy is returned by Queue.Requeue when the DID already has an operation queued or in flight.
var ErrDIDBusy = errors.New("the DID already has an operation queued or in flight")

// KeptBatch is a completed batch remembered until its anchor transaction is DefaultKeepDepth deep: a
// reorganization deeper than ConfirmationsBetweenBatches can still drop the transaction, or get it mined
// after another of the writer's anchors in one block, where ION ignores it.
type KeptBatch struct {
	ID   string
	TxID string
	// Ops are the batch's operations; once Lost, those not yet back in the queue.
	Ops []Operation
	// Lost: the transaction will not count any more (anchor failed or uncounted); Ops wait to be requeued.
	Lost bool
}

// KeptStore persists the kept batches, so a restart does not forget them. A kept batch can hold
// 10,000 operations, and up to a hundred blocks' worth of batches are kept: a change writes one batch.
type KeptStore interface {
	// LoadKept returns the kept batches, oldest first.
	LoadKept(ctx context.Context) ([]KeptBatch, error)
	// PutKept adds a batch, or replaces the one with its ID (keeping its place).
	PutKept(ctx context.Context, b KeptBatch) error
	// DeleteKept forgets a batch; an unknown ID is no error.
	DeleteKept(ctx context.Context, id string) error
}

func (w *Writer) keepDepth() int {
	if w.KeepDepth > 0 {
		return w.KeepDepth
	}
	return DefaultKeepDepth
}

// loadKept reads the kept batches once; afterwards w.kept is the copy in memory, saved on each change.
func (w *Writer) loadKept(ctx context.Context) error {
	if w.keptLoaded || w.Kept == nil {
		return nil
	}
	kept, err := w.Kept.LoadKept(ctx)
	if err != nil {
		return err
	}
	w.kept, w.keptLoaded = kept, true
	return nil
}

// keep remembers a batch about to be completed. It is saved before the queue forgets the batch: a crash
// in between leaves it both kept and in flight, and settling it again replaces the kept record.
func (w *Writer) keep(ctx context.Context, b KeptBatch) error {
	if err := w.loadKept(ctx); err != nil {
		return err
	}
	if w.Kept != nil {
		if err := w.Kept.PutKept(ctx, b); err != nil {
			return fmt.Errorf("keep batch %s: %w", b.ID, err)
		}
	}
	for i, k := range w.kept {
		if k.ID == b.ID {
			w.kept[i] = b
			return nil
		}
	}
	w.kept = append(w.kept, b)
	return nil
}

// forgetKept drops a kept batch from the store; false (with the error recorded) keeps it for a retry.
func (w *Writer) forgetKept(ctx context.Context, id string, errs *[]error) bool {
	if w.Kept == nil {
		return true
	}
	if err := w.Kept.DeleteKept(ctx, id); err != nil {
		*errs = append(*errs, fmt.Errorf("forget kept batch %s: %w", id, err))
		return false
	}
	return true
}

// checkKept looks at the completed batches' transactions: deep enough → forgotten; no longer counted by
// ION (reorganized away and conflicted, or re-mined after another of the writer's anchors in one block)
// → their operations go back to the queue.
//
// An operation whose DID already has a newer operation queued or in flight waits (Queue.Requeue fails
// with ErrDIDBusy) and is tried again on later cycles, oldest batch first. Anchoring the newer one first
// is harmless: ION follows a DID's commitment chain, not transaction order (Resolver.ts
// applyUpdateOperations / applyRecoverAndDeactivateOperations pick the operation whose reveal value
// matches the current commitment), so the newer operation, built on the lost one's commitments, applies
// as soon as the lost one is anchored again; the queue's one-operation-per-DID rule cannot hold both.
func (w *Writer) checkKept(ctx context.Context) error {
	if err := w.loadKept(ctx); err != nil {
		return err
	}
	var errs []error
	// The checks below need no files: a CAS that is down delays the restoring (tried again next
	// cycle), not the requeueing of a reorganized batch.
	if err := w.restoreKeptFiles(ctx); err != nil {
		errs = append(errs, err)
	}
	if len(w.kept) == 0 {
		return errors.Join(errs...)
	}
	out := make([]KeptBatch, 0, len(w.kept))
	for _, k := range w.kept {
		changed := false
		if !k.Lost {
			conf, err := w.Anchorer.Confirmations(ctx, k.TxID)
			switch {
			case errors.Is(err, ErrAnchorFailed):
				w.logger().Warn("a completed batch's transaction no longer counts (reorganization); its operations return to the queue",
					"batch", k.ID, "txid", k.TxID, "operations", len(k.Ops), "reason", err.Error())
				w.metric("reverted", 0)
				k.Lost, changed = true, true
			case errors.Is(err, ErrAnchorUnknown):
				// The wallet forgets only transactions buried deeper than DefaultKeepDepth (after a long
				// stop, it can prune before this check runs).
				w.logger().Warn("the wallet no longer knows a completed batch's transaction; forgetting the batch", "batch", k.ID, "txid", k.TxID)
				if w.forgetKept(ctx, k.ID, &errs) {
					continue
				}
			case err != nil:
				errs = append(errs, fmt.Errorf("confirmations of kept batch %s (%s): %w", k.ID, k.TxID, err))
			case conf >= w.keepDepth():
				if w.forgetKept(ctx, k.ID, &errs) {
					continue
				}
			}
		}
		if k.Lost {
			var waiting []Operation
			for _, op := range k.Ops {
				op.BatchID = ""
				if err := w.Queue.Requeue(ctx, op); errors.Is(err, ErrDIDBusy) {
					waiting = append(waiting, op)
					continue
				} else if err != nil {
					errs = append(errs, fmt.Errorf("requeue an operation of batch %s: %w", k.ID, err))
					waiting = append(waiting, op)
					continue
				}
				changed = true
			}
			if len(waiting) == 0 && w.forgetKept(ctx, k.ID, &errs) {
				w.logger().Info("operations of a reverted batch are queued again", "batch", k.ID)
				continue
			}
			k.Ops = waiting
		}
		if changed && w.Kept != nil {
			if err := w.Kept.PutKept(ctx, k); err != nil {
				errs = append(errs, fmt.Errorf("save kept batch %s: %w", k.ID, err))
			}
		}
		out = append(out, k)
	}
	w.kept = out
	return errors.Join(errs...)
}

// restoreKeptFiles puts the files of the batches kept by an earlier process once more. Until a batch's
// transaction is deep this node may be the only one holding its files, and a node that lost them (a
// crash of a version whose CAS did not sync a Put, a blockstore restored from a backup) has an anchored
// batch no node can read: building is deterministic, so the files come back as anchored, and the
// observer's retry of the unresolvable transaction then finds them.
func (w *Writer) restoreKeptFiles(ctx context.Context) error {
	if w.keptRestored {
		return nil
	}
	for _, k := range w.kept {
		if k.Lost {
			continue // its operations are being queued again
		}
		if _, err := w.buildBatch(ctx, k.Ops); err != nil {
			return fmt.Errorf("restore the files of kept batch %s: %w", k.ID, err)
		}
	}
	w.keptRestored = true
	return nil
}
