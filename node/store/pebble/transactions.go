package pebble

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/ionode/ionode/node"
)

func encodeTransaction(tx node.Transaction) []byte {
	var e encoder
	appendTransaction(&e, tx)
	return e.b
}

func appendTransaction(e *encoder, tx node.Transaction) {
	e.uint(tx.Number)
	e.uint(tx.Time)
	e.string(tx.TimeHash)
	e.string(tx.AnchorString)
	e.uint(tx.FeePaid)
	e.uint(tx.NormalizedFee)
	e.string(tx.Writer)
}

func readTransaction(d *decoder) node.Transaction {
	return node.Transaction{
		Number:        d.uint(),
		Time:          d.uint(),
		TimeHash:      d.string(),
		AnchorString:  d.string(),
		FeePaid:       d.uint(),
		NormalizedFee: d.uint(),
		Writer:        d.string(),
	}
}

func decodeTransaction(v []byte) (node.Transaction, error) {
	d := decoder{b: v}
	tx := readTransaction(&d)
	return tx, d.finish()
}

// LastTransaction returns the processed transaction with the highest number.
func (s *Store) LastTransaction(ctx context.Context) (node.Transaction, bool, error) {
	if err := ctx.Err(); err != nil {
		return node.Transaction{}, false, err
	}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: []byte{prefixTransaction}, UpperBound: []byte{prefixTransaction + 1}})
	if err != nil {
		return node.Transaction{}, false, fmt.Errorf("pebble iterator: %w", err)
	}
	if !it.Last() {
		return node.Transaction{}, false, closeIter(it)
	}
	v, err := it.ValueAndErr()
	if err != nil {
		it.Close()
		return node.Transaction{}, false, fmt.Errorf("pebble read: %w", err)
	}
	tx, err := decodeTransaction(v)
	if cerr := closeIter(it); err == nil {
		err = cerr
	}
	if err != nil {
		return node.Transaction{}, false, fmt.Errorf("last transaction: %w", err)
	}
	return tx, true, nil
}

// TransactionsAfter returns up to limit processed transactions numbered above number, in order.
func (s *Store) TransactionsAfter(ctx context.Context, number uint64, limit int) ([]node.Transaction, error) {
	if number == ^uint64(0) || limit <= 0 {
		return nil, ctx.Err()
	}
	var txs []node.Transaction
	err := s.scan(ctx, numberKey(prefixTransaction, number+1), []byte{prefixTransaction + 1}, func(_, v []byte) (bool, error) {
		tx, err := decodeTransaction(v)
		if err != nil {
			return false, err
		}
		txs = append(txs, tx)
		return len(txs) < limit, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list transactions: %w", err)
	}
	return txs, nil
}

// PutCursor stores the watcher's resume position.
func (s *Store) PutCursor(ctx context.Context, cursor []byte) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	if err := s.db.Set(keyCursor, cursor, pebble.Sync); err != nil {
		return fmt.Errorf("store cursor: %w", err)
	}
	return nil
}

// Cursor returns the watcher's resume position, nil when none was stored.
func (s *Store) Cursor(ctx context.Context) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, err := s.get(keyCursor)
	if err != nil {
		return nil, fmt.Errorf("read cursor: %w", err)
	}
	return v, nil
}

func encodeUnresolvable(u node.Unresolvable) []byte {
	var e encoder
	appendTransaction(&e, u.Transaction)
	e.int(int64(u.Attempts))
	e.time(u.FirstFetch)
	e.time(u.NextRetry)
	return e.b
}

func decodeUnresolvable(v []byte) (node.Unresolvable, error) {
	d := decoder{b: v}
	u := node.Unresolvable{Transaction: readTransaction(&d)}
	u.Attempts = int(d.int())
	u.FirstFetch = d.time()
	u.NextRetry = d.time()
	return u, d.finish()
}

func (s *Store) getUnresolvable(number uint64) (node.Unresolvable, bool, error) {
	v, err := s.get(numberKey(prefixUnresolved, number))
	if err != nil || v == nil {
		return node.Unresolvable{}, false, err
	}
	u, err := decodeUnresolvable(v)
	if err != nil {
		return node.Unresolvable{}, false, fmt.Errorf("unresolvable transaction %d: %w", number, err)
	}
	return u, true, nil
}

// GetUnresolvable returns the record of an unresolvable transaction.
func (s *Store) GetUnresolvable(ctx context.Context, number uint64) (node.Unresolvable, bool, error) {
	if err := ctx.Err(); err != nil {
		return node.Unresolvable{}, false, err
	}
	return s.getUnresolvable(number)
}

// PutUnresolvable stores (replaces) the record of an unresolvable transaction.
func (s *Store) PutUnresolvable(ctx context.Context, u node.Unresolvable) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	old, found, err := s.getUnresolvable(u.Transaction.Number)
	if err != nil {
		return err
	}
	b := s.db.NewBatch()
	if found {
		b.Delete(retryKey(old.NextRetry, old.Transaction.Number), nil)
	}
	b.Set(numberKey(prefixUnresolved, u.Transaction.Number), encodeUnresolvable(u), nil)
	b.Set(retryKey(u.NextRetry, u.Transaction.Number), nil, nil)
	return commit(b)
}

// DueUnresolvable returns up to limit records whose next retry is at or before now, earliest first.
func (s *Store) DueUnresolvable(ctx context.Context, now time.Time, limit int) ([]node.Unresolvable, error) {
	if limit <= 0 {
		return nil, ctx.Err()
	}
	var numbers []uint64
	upper := be64([]byte{prefixRetry}, timeOrder(now)+1)
	if timeOrder(now) == ^uint64(0) {
		upper = []byte{prefixRetry + 1}
	}
	err := s.scan(ctx, []byte{prefixRetry}, upper, func(k, _ []byte) (bool, error) {
		if len(k) != 17 {
			return false, fmt.Errorf("%w: retry key %x", errCorrupt, k)
		}
		numbers = append(numbers, binary.BigEndian.Uint64(k[9:]))
		return len(numbers) < limit, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list due unresolvable transactions: %w", err)
	}
	due := make([]node.Unresolvable, 0, len(numbers))
	for _, n := range numbers {
		u, found, err := s.getUnresolvable(n)
		if err != nil {
			return nil, err
		}
		if found { // removed meanwhile
			due = append(due, u)
		}
	}
	return due, nil
}

// RemoveUnresolvable deletes the record of a transaction (resolved or found invalid).
func (s *Store) RemoveUnresolvable(ctx context.Context, number uint64) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	u, found, err := s.getUnresolvable(number)
	if err != nil || !found {
		return err
	}
	b := s.db.NewBatch()
	b.Delete(numberKey(prefixUnresolved, number), nil)
	b.Delete(retryKey(u.NextRetry, number), nil)
	return commit(b)
}

// TransactionsBefore returns up to limit processed transactions numbered below number, highest first.
func (s *Store) TransactionsBefore(ctx context.Context, number uint64, limit int) ([]node.Transaction, error) {
	if number == 0 || limit <= 0 {
		return nil, ctx.Err()
	}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: []byte{prefixTransaction}, UpperBound: numberKey(prefixTransaction, number)})
	if err != nil {
		return nil, fmt.Errorf("pebble iterator: %w", err)
	}
	var txs []node.Transaction
	for ok := it.Last(); ok && len(txs) < limit; ok = it.Prev() {
		v, err := it.ValueAndErr()
		if err != nil {
			it.Close()
			return nil, fmt.Errorf("pebble read: %w", err)
		}
		tx, err := decodeTransaction(v)
		if err != nil {
			it.Close()
			return nil, fmt.Errorf("list transactions: %w", err)
		}
		txs = append(txs, tx)
	}
	if err := closeIter(it); err != nil {
		return nil, err
	}
	return txs, nil
}
