package pebble

import (
	"context"
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

func encodeQueued(op store.QueuedOperation) []byte {
	var e encoder
	e.string(op.DIDSuffix)
	e.string(string(op.Type))
	e.bytes(op.Request)
	e.time(op.Enqueued)
	return e.b
}

func decodeQueued(seq uint64, v []byte) (store.QueuedOperation, error) {
	d := decoder{b: v}
	op := store.QueuedOperation{Seq: seq}
	op.DIDSuffix = d.string()
	op.Type = sidetree.OperationType(d.string())
	op.Request = d.bytes()
	op.Enqueued = d.time()
	return op, d.finish()
}

// Batch ids are the batch counter in hexadecimal, fixed width so they map back to keys.
func batchID(n uint64) string { return fmt.Sprintf("%016x", n) }

func parseBatchID(id string) (uint64, bool) {
	if len(id) != 16 {
		return 0, false
	}
	n, err := strconv.ParseUint(id, 16, 64)
	return n, err == nil
}

// Enqueue appends an operation unless its DID already has one queued or in flight.
func (s *Store) Enqueue(ctx context.Context, suffix string, t sidetree.OperationType, request []byte) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	if err := checkName("DID suffix", suffix); err != nil {
		return err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	pending, err := s.get(nameKey(prefixPendingDID, suffix))
	if err != nil {
		return err
	}
	if pending != nil {
		return fmt.Errorf("enqueue %s operation for %s: %w", t, suffix, node.ErrAlreadyQueued)
	}
	seq := s.queueSeq + 1
	b := s.db.NewBatch()
	b.Set(numberKey(prefixQueued, seq), encodeQueued(store.QueuedOperation{DIDSuffix: suffix, Type: t, Request: request, Enqueued: time.Now()}), nil)
	b.Set(nameKey(prefixPendingDID, suffix), be64(nil, seq), nil)
	b.Set(keyQueueSeq, be64(nil, seq), nil)
	if err := commit(b); err != nil {
		return err
	}
	s.queueSeq = seq
	s.depth.Add(1)
	return nil
}

// TakeBatch moves up to max operations from the front of the queue into a new in-flight batch.
func (s *Store) TakeBatch(ctx context.Context, max int) ([]store.QueuedOperation, error) {
	if err := s.writable(ctx); err != nil {
		return nil, err
	}
	if max <= 0 {
		return nil, nil
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	batch := s.batchSeq + 1
	id := batchID(batch)
	var ops []store.QueuedOperation
	b := s.db.NewBatch()
	err := s.scan(ctx, []byte{prefixQueued}, []byte{prefixQueued + 1}, func(k, v []byte) (bool, error) {
		seq := binary.BigEndian.Uint64(k[1:])
		op, err := decodeQueued(seq, v)
		if err != nil {
			return false, err
		}
		op.BatchID = id
		b.Delete(k, nil)
		b.Set(be64(inFlightPrefix(batch), seq), v, nil)
		ops = append(ops, op)
		return len(ops) < max, nil
	})
	if err != nil || len(ops) == 0 {
		b.Close()
		return nil, err
	}
	b.Set(keyBatchSeq, be64(nil, batch), nil)
	if err := commit(b); err != nil {
		return nil, err
	}
	s.batchSeq = batch
	s.depth.Add(-int64(len(ops)))
	return ops, nil
}

// InFlight returns the operations of every batch neither returned nor completed, in queue order.
func (s *Store) InFlight(ctx context.Context) ([]store.QueuedOperation, error) {
	var ops []store.QueuedOperation
	err := s.scan(ctx, []byte{prefixInFlight}, []byte{prefixInFlight + 1}, func(k, v []byte) (bool, error) {
		if len(k) != 17 {
			return false, fmt.Errorf("%w: in-flight key %x", errCorrupt, k)
		}
		op, err := decodeQueued(binary.BigEndian.Uint64(k[9:]), v)
		if err != nil {
			return false, err
		}
		op.BatchID = batchID(binary.BigEndian.Uint64(k[1:]))
		ops = append(ops, op)
		return true, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list in-flight operations: %w", err)
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].Seq < ops[j].Seq })
	return ops, nil
}

// ReturnBatch puts a batch's operations back in the queue under their original positions, which are
// before every operation enqueued since.
func (s *Store) ReturnBatch(ctx context.Context, id string) error {
	return s.endBatch(ctx, id, true)
}

// CompleteBatch deletes a batch's operations and frees their DIDs for new operations.
func (s *Store) CompleteBatch(ctx context.Context, id string) error {
	return s.endBatch(ctx, id, false)
}

func (s *Store) endBatch(ctx context.Context, id string, requeue bool) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	batch, ok := parseBatchID(id)
	if !ok {
		return fmt.Errorf("batch %q: %w", id, store.ErrBatchNotFound)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	b := s.db.NewBatch()
	n := 0
	prefix := inFlightPrefix(batch)
	err := s.scan(ctx, prefix, prefixEnd(prefix), func(k, v []byte) (bool, error) {
		seq := binary.BigEndian.Uint64(k[9:])
		b.Delete(k, nil)
		if requeue {
			b.Set(numberKey(prefixQueued, seq), v, nil)
		} else {
			op, err := decodeQueued(seq, v)
			if err != nil {
				return false, err
			}
			b.Delete(nameKey(prefixPendingDID, op.DIDSuffix), nil)
		}
		n++
		return true, nil
	})
	if err == nil && n == 0 {
		err = fmt.Errorf("batch %s: %w", id, store.ErrBatchNotFound)
	}
	if err != nil {
		b.Close()
		return err
	}
	if err := commit(b); err != nil {
		return err
	}
	if requeue {
		s.depth.Add(int64(n))
	}
	return nil
}

// QueueDepth counts the queued operations not taken by a batch.
func (s *Store) QueueDepth(ctx context.Context) (int, error) {
	return int(s.depth.Load()), ctx.Err()
}
