package pebble

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/cockroachdb/pebble/v2"

	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

// PutOperations stores anchored operations. Re-storing an operation at the same (suffix, transaction
// number, index) rewrites the same record: the chain fixes what each position holds.
func (s *Store) PutOperations(ctx context.Context, ops []sidetree.AnchoredOperation) error {
	return s.putProcessed(ctx, nil, ops, nil)
}

// PutTransaction records a processed transaction.
func (s *Store) PutTransaction(ctx context.Context, tx node.Transaction) error {
	return s.putProcessed(ctx, &tx, nil, nil)
}

// PutProcessed stores a transaction's operations, the transaction and the cursor in one synced batch.
func (s *Store) PutProcessed(ctx context.Context, tx node.Transaction, ops []sidetree.AnchoredOperation, cursor []byte) error {
	return s.putProcessed(ctx, &tx, ops, cursor)
}

func (s *Store) putProcessed(ctx context.Context, tx *node.Transaction, ops []sidetree.AnchoredOperation, cursor []byte) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	for _, op := range ops {
		if err := checkName("DID suffix", op.DIDSuffix); err != nil {
			return err
		}
	}
	// Room for each operation's two keys, its value and its generation key, so the batch never regrows.
	size := 256
	for _, op := range ops {
		size += 3*len(op.DIDSuffix) + len(op.Raw) + 128
	}
	b := s.db.NewBatchWithSize(size)
	var e encoder
	var key []byte
	for _, op := range ops {
		// Keys and the value header are encoded in scratch space and copied once, with the raw
		// operation, straight into the batch.
		e.b = e.b[:0]
		appendOperationHeader(&e, op)
		key = appendOperationKey(key[:0], op.DIDSuffix, op.TransactionNumber, op.OperationIndex)
		d := b.SetDeferred(len(key), len(e.b)+len(op.Raw))
		copy(d.Key, key)
		copy(d.Value[copy(d.Value, e.b):], op.Raw)
		if err := d.Finish(); err != nil {
			b.Close()
			return fmt.Errorf("pebble batch: %w", err)
		}
		key = appendOpByTxKey(key[:0], op.TransactionNumber, op.OperationIndex, op.DIDSuffix)
		b.Set(key, nil, nil)
	}
	if tx != nil {
		b.Set(numberKey(prefixTransaction, tx.Number), encodeTransaction(*tx), nil)
	}
	if cursor != nil {
		b.Set(keyCursor, cursor, nil)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if len(ops) == 0 {
		return commit(b)
	}
	suffixes := suffixesOf(ops)
	s.bumpGenerations(b, suffixes)
	err := commit(b)
	s.memo.forget(suffixes) // also on error: the batch may have been applied
	return err
}

func suffixesOf(ops []sidetree.AnchoredOperation) map[string]struct{} {
	m := make(map[string]struct{}, len(ops))
	for _, op := range ops {
		m[op.DIDSuffix] = struct{}{}
	}
	return m
}

// bumpGenerations gives the suffixes a fresh generation from the store-wide counter, so a generation is
// never reused even across rollbacks. Caller holds wmu, commits b, then forgets the suffixes' memo.
func (s *Store) bumpGenerations(b *pebble.Batch, suffixes map[string]struct{}) {
	s.generation++
	g := be64(nil, s.generation)
	b.Set(keyGenerationCounter, g, nil)
	for suffix := range suffixes {
		b.Set(nameKey(prefixGeneration, suffix), g, nil)
	}
}

// Operations returns a DID's operations in (transaction number, index) order and its generation. The
// generation is read first: a write landing between the two reads then makes the pair look older than
// it is, which only costs a cache miss, never a stale cached state.
func (s *Store) Operations(ctx context.Context, suffix string) ([]sidetree.AnchoredOperation, uint64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	gen, err := s.getUint(nameKey(prefixGeneration, suffix))
	if err != nil {
		return nil, 0, err
	}
	var ops []sidetree.AnchoredOperation
	err = s.scanPrefix(ctx, operationPrefix(suffix), func(k, v []byte) error {
		op, err := decodeOperation(k, v)
		if err != nil {
			return err
		}
		ops = append(ops, op)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read operations of %s: %w", suffix, err)
	}
	return ops, gen, nil
}

// Generation reads a DID's generation alone: from the state memo when it holds the DID (no Pebble read,
// for the answer cache's check on every hit).
func (s *Store) Generation(ctx context.Context, suffix string) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if gen, ok := s.memo.generation(suffix); ok {
		return gen, nil
	}
	return s.getUint(nameKey(prefixGeneration, suffix))
}

// HeldGeneration is a DID's generation when the state memo holds the DID: a read of memory that waits on
// nothing (ion.HeldGenerations), current for the reason the memo's states are.
func (s *Store) HeldGeneration(suffix string) (uint64, bool) { return s.memo.generation(suffix) }

func decodeOperation(k, v []byte) (sidetree.AnchoredOperation, error) {
	suffix, txnum, index, ok := parseOperationKey(k)
	if !ok {
		return sidetree.AnchoredOperation{}, fmt.Errorf("%w: operation key %x", errCorrupt, k)
	}
	ov, err := decodeOperationValue(v)
	if err != nil {
		return sidetree.AnchoredOperation{}, err
	}
	return sidetree.AnchoredOperation{
		Type:              ov.typ,
		DIDSuffix:         suffix,
		Raw:               bytes.Clone(ov.raw),
		TransactionNumber: txnum,
		TransactionTime:   ov.time,
		OperationIndex:    index,
		Verdict:           ov.verdict,
	}, nil
}

// CachedState returns the cached state when it was cached at the DID's current generation.
func (s *Store) CachedState(ctx context.Context, suffix string) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if data, ok := s.memo.get(suffix); ok {
		return data, true, nil
	}
	v, err := s.get(nameKey(prefixCache, suffix))
	if err != nil || v == nil {
		return nil, false, err
	}
	if len(v) < 8 {
		return nil, false, fmt.Errorf("%w: cached state of %s", errCorrupt, suffix)
	}
	gen, err := s.getUint(nameKey(prefixGeneration, suffix))
	if err != nil {
		return nil, false, err
	}
	if binary.BigEndian.Uint64(v) != gen {
		return nil, false, nil
	}
	if err := s.memo.add(suffix, gen, v[8:], s.generationOf(suffix)); err != nil {
		return nil, false, err
	}
	return v[8:], true, nil
}

// generationOf reads a DID's current generation, for stateMemo.add.
func (s *Store) generationOf(suffix string) func() (uint64, error) {
	return func() (uint64, error) { return s.getUint(nameKey(prefixGeneration, suffix)) }
}

// CacheState caches a state computed at generation, unless the DID has moved on. A cache write racing
// with an operation write can at worst store an entry that is never served (its generation is stale):
// generations only grow, so it needs no lock.
func (s *Store) CacheState(ctx context.Context, suffix string, generation uint64, data []byte) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	gen, err := s.getUint(nameKey(prefixGeneration, suffix))
	if err != nil {
		return err
	}
	if gen != generation {
		return nil
	}
	v := be64(make([]byte, 0, 8+len(data)), generation)
	v = append(v, data...)
	// Not synced: a cache lost in a crash is recomputed.
	if err := s.db.Set(nameKey(prefixCache, suffix), v, pebble.NoSync); err != nil {
		return fmt.Errorf("cache state of %s: %w", suffix, err)
	}
	return s.memo.add(suffix, generation, v[8:], s.generationOf(suffix))
}

// RollbackAfter deletes operations, transactions and unresolvable records numbered above number, gives
// the DIDs that lost operations a new generation and drops their cached states, in one synced batch.
func (s *Store) RollbackAfter(ctx context.Context, number uint64) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	if number == ^uint64(0) {
		return nil
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	b := s.db.NewBatch()
	touched := map[string]struct{}{}
	from := numberKey(prefixOpByTx, number+1)
	err := s.scan(ctx, from, []byte{prefixOpByTx + 1}, func(k, _ []byte) (bool, error) {
		if len(k) < 13 {
			return false, fmt.Errorf("%w: operation index key %x", errCorrupt, k)
		}
		txnum, index, suffix := binary.BigEndian.Uint64(k[1:]), binary.BigEndian.Uint32(k[9:]), string(k[13:])
		b.Delete(operationKey(suffix, txnum, index), nil)
		b.Delete(k, nil)
		touched[suffix] = struct{}{}
		return true, nil
	})
	if err != nil {
		b.Close()
		return err
	}
	err = s.scan(ctx, numberKey(prefixUnresolved, number+1), []byte{prefixUnresolved + 1}, func(k, v []byte) (bool, error) {
		u, err := decodeUnresolvable(v)
		if err != nil {
			return false, err
		}
		b.Delete(k, nil)
		b.Delete(retryKey(u.NextRetry, u.Transaction.Number), nil)
		return true, nil
	})
	if err != nil {
		b.Close()
		return err
	}
	b.DeleteRange(numberKey(prefixTransaction, number+1), []byte{prefixTransaction + 1}, nil)
	for suffix := range touched {
		b.Delete(nameKey(prefixCache, suffix), nil)
	}
	if len(touched) == 0 {
		return commit(b)
	}
	s.bumpGenerations(b, touched)
	err = commit(b)
	s.memo.forget(touched)
	return err
}

// StateHash hashes every operation in (suffix, transaction number, index) order, the key order.
func (s *Store) StateHash(ctx context.Context) ([]byte, error) {
	h := store.NewStateHasher()
	err := s.scan(ctx, []byte{prefixOperation}, []byte{prefixOperation + 1}, func(k, v []byte) (bool, error) {
		op, err := decodeOperation(k, v)
		if err != nil {
			return false, err
		}
		h.Add(op)
		return true, ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("state hash: %w", err)
	}
	return h.Sum(), nil
}

// OperationCounts counts one transaction's operations by type, walking the by-transaction index and
// reading only the type at the head of each operation's value.
func (s *Store) OperationCounts(ctx context.Context, number uint64) (map[sidetree.OperationType]int, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	counts := map[sidetree.OperationType]int{}
	from := numberKey(prefixOpByTx, number)
	var lookups [][]byte
	err := s.scan(ctx, from, prefixEnd(from), func(k, _ []byte) (bool, error) {
		if len(k) < 14 {
			return false, fmt.Errorf("%w: operation index key %x", errCorrupt, k)
		}
		txnum, index, suffix := binary.BigEndian.Uint64(k[1:]), binary.BigEndian.Uint32(k[9:]), string(k[13:])
		lookups = append(lookups, operationKey(suffix, txnum, index))
		return true, nil
	})
	if err != nil {
		return nil, fmt.Errorf("count operations of transaction %d: %w", number, err)
	}
	for _, k := range lookups {
		v, err := s.get(k)
		if err != nil {
			return nil, fmt.Errorf("count operations of transaction %d: %w", number, err)
		}
		if v == nil {
			continue // rolled back since the index was read
		}
		ov, err := decodeOperationValue(v)
		if err != nil {
			return nil, fmt.Errorf("operation %x: %w", k, err)
		}
		counts[ov.typ]++
	}
	return counts, nil
}
