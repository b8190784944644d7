package writer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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

// KeptStore persists the kept batches, so a restart does not forget them.
type KeptStore interface {
	LoadKept(ctx context.Context) ([]KeptBatch, error)
	SaveKept(ctx context.Context, kept []KeptBatch) error
}

// FileKept keeps the batches in a JSON file, replaced whole on each save (write, sync, rename).
type FileKept struct{ Path string }

// LoadKept reads the file; a missing file holds no batches.
func (f FileKept) LoadKept(context.Context) ([]KeptBatch, error) {
	data, err := os.ReadFile(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read kept batches: %w", err)
	}
	var kept []KeptBatch
	if err := json.Unmarshal(data, &kept); err != nil {
		return nil, fmt.Errorf("read kept batches %s: %w", f.Path, err)
	}
	return kept, nil
}

// SaveKept replaces the file atomically.
func (f FileKept) SaveKept(_ context.Context, kept []KeptBatch) error {
	data, err := json.Marshal(kept)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), filepath.Base(f.Path)+".*")
	if err != nil {
		return fmt.Errorf("save kept batches: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("save kept batches: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save kept batches: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save kept batches: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.Path); err != nil {
		return fmt.Errorf("save kept batches: %w", err)
	}
	return nil
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

func (w *Writer) saveKept(ctx context.Context, kept []KeptBatch) error {
	if w.Kept != nil {
		if err := w.Kept.SaveKept(ctx, kept); err != nil {
			return err
		}
	}
	w.kept = kept
	return nil
}

// keep remembers a batch about to be completed. It is saved before the queue forgets the batch: a crash
// in between leaves it both kept and in flight, and settling it again replaces the kept record.
func (w *Writer) keep(ctx context.Context, b KeptBatch) error {
	if err := w.loadKept(ctx); err != nil {
		return err
	}
	out := []KeptBatch{}
	for _, k := range w.kept {
		if k.ID != b.ID {
			out = append(out, k)
		}
	}
	return w.saveKept(ctx, append(out, b))
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
	if err := w.loadKept(ctx); err != nil || len(w.kept) == 0 {
		return err
	}
	kept := w.kept
	changed := false
	var errs []error
	out := make([]KeptBatch, 0, len(kept))
	for _, k := range kept {
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
				changed = true
				continue
			case err != nil:
				errs = append(errs, fmt.Errorf("confirmations of kept batch %s (%s): %w", k.ID, k.TxID, err))
			case conf >= w.keepDepth():
				changed = true
				continue
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
			if len(waiting) == 0 {
				w.logger().Info("operations of a reverted batch are queued again", "batch", k.ID)
				continue
			}
			k.Ops = waiting
		}
		out = append(out, k)
	}
	if changed {
		if err := w.saveKept(ctx, out); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
