package pebble

import (
	"bytes"
	"context"
	"fmt"

	"github.com/ionode/ionode/sidetree"
)

// BackfillVerdicts implements store.VerdictBackfill, walking the operations in key order.
func (s *Store) BackfillVerdicts(ctx context.Context, limit int, compute func(context.Context, []sidetree.AnchoredOperation) error, progress func(done int)) (int, error) {
	if err := s.writable(ctx); err != nil {
		return 0, err
	}
	limit = max(limit, 1)
	from, end := []byte{prefixOperation}, []byte{prefixOperation + 1}
	done := 0
	for from != nil {
		var ops []sidetree.AnchoredOperation
		var next []byte
		err := s.scan(ctx, from, end, func(k, v []byte) (bool, error) {
			if len(ops) == limit {
				next = bytes.Clone(k)
				return false, nil
			}
			ov, err := decodeOperationValue(v)
			if err != nil {
				return false, fmt.Errorf("operation %x: %w", k, err)
			}
			if ov.verdict != sidetree.VerdictUnknown {
				return true, nil
			}
			op, err := decodeOperation(k, v)
			if err != nil {
				return false, err
			}
			ops = append(ops, op)
			return true, nil
		})
		if err != nil {
			return done, fmt.Errorf("backfill verdicts: %w", err)
		}
		if len(ops) == 0 {
			break
		}
		if err := compute(ctx, ops); err != nil {
			return done, fmt.Errorf("backfill verdicts: %w", err)
		}
		if err := s.putVerdicts(ops); err != nil {
			return done, err
		}
		done += len(ops)
		progress(done)
		from = next
	}
	return done, nil
}

// putVerdicts rewrites each operation's value with its verdict where the stored value is still the same
// operation without a verdict. Under wmu, so that no operation write lands between the check and the
// commit.
func (s *Store) putVerdicts(ops []sidetree.AnchoredOperation) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	b := s.db.NewBatch()
	for _, op := range ops {
		k := operationKey(op.DIDSuffix, op.TransactionNumber, op.OperationIndex)
		v, err := s.get(k)
		if err != nil {
			b.Close()
			return err
		}
		if v == nil {
			continue // rolled back meanwhile
		}
		ov, err := decodeOperationValue(v)
		if err != nil {
			b.Close()
			return fmt.Errorf("operation %x: %w", k, err)
		}
		if ov.verdict != sidetree.VerdictUnknown || ov.typ != op.Type || ov.time != op.TransactionTime || !bytes.Equal(ov.raw, op.Raw) {
			continue // replaced meanwhile
		}
		if err := b.Set(k, encodeOperationValue(op), nil); err != nil {
			b.Close()
			return fmt.Errorf("pebble batch: %w", err)
		}
	}
	return commit(b)
}
