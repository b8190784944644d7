package pebble

import (
	"context"
	"fmt"
	"sort"

	"github.com/cockroachdb/pebble/v2"

	"github.com/ionode/ionode/node/store"
)

func encodeUTXO(u store.UTXO) []byte {
	var e encoder
	e.int(u.Value)
	e.bytes(u.PkScript)
	e.int(u.Height)
	e.string(u.ReservedBy)
	e.string(u.SpentBy)
	return e.b
}

func decodeUTXO(txid string, vout uint32, v []byte) (store.UTXO, error) {
	d := decoder{b: v}
	u := store.UTXO{Outpoint: store.Outpoint{TxID: txid, Vout: vout}}
	u.Value = d.int()
	u.PkScript = d.bytes()
	u.Height = d.int()
	u.ReservedBy = d.string()
	u.SpentBy = d.string()
	return u, d.finish()
}

func encodePendingTx(tx store.PendingTx) []byte {
	var e encoder
	e.bytes(tx.Raw)
	e.string(tx.Anchor)
	e.time(tx.Created)
	e.string(tx.Status)
	e.string(tx.Kind)
	e.int(tx.Fee)
	e.int(tx.BroadcastHeight)
	e.int(tx.ConfirmedHeight)
	e.string(tx.ReplacedBy)
	return e.b
}

func decodePendingTx(txid string, v []byte) (store.PendingTx, error) {
	d := decoder{b: v}
	tx := store.PendingTx{TxID: txid}
	tx.Raw = d.bytes()
	tx.Anchor = d.string()
	tx.Created = d.time()
	tx.Status = d.string()
	tx.Kind = d.string()
	tx.Fee = d.int()
	tx.BroadcastHeight = d.int()
	tx.ConfirmedHeight = d.int()
	tx.ReplacedBy = d.string()
	return tx, d.finish()
}

func (s *Store) setUTXOs(b *pebble.Batch, utxos []store.UTXO) error {
	for _, u := range utxos {
		if err := checkName("txid", u.TxID); err != nil {
			return err
		}
		b.Set(utxoKey(u.TxID, u.Vout), encodeUTXO(u), nil)
	}
	return nil
}

// PutUTXOs stores (replaces) wallet outputs in one synced batch.
func (s *Store) PutUTXOs(ctx context.Context, utxos ...store.UTXO) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	b := s.db.NewBatch()
	if err := s.setUTXOs(b, utxos); err != nil {
		b.Close()
		return err
	}
	return commit(b)
}

// GetUTXO returns one wallet output.
func (s *Store) GetUTXO(ctx context.Context, op store.Outpoint) (store.UTXO, bool, error) {
	if err := ctx.Err(); err != nil {
		return store.UTXO{}, false, err
	}
	if checkName("txid", op.TxID) != nil {
		return store.UTXO{}, false, nil
	}
	v, err := s.get(utxoKey(op.TxID, op.Vout))
	if err != nil || v == nil {
		return store.UTXO{}, false, err
	}
	u, err := decodeUTXO(op.TxID, op.Vout, v)
	if err != nil {
		return store.UTXO{}, false, fmt.Errorf("utxo %s:%d: %w", op.TxID, op.Vout, err)
	}
	return u, true, nil
}

// UTXOs returns every wallet output ordered by (TxID, Vout), the key order.
func (s *Store) UTXOs(ctx context.Context) ([]store.UTXO, error) {
	var out []store.UTXO
	err := s.scan(ctx, []byte{prefixUTXO}, []byte{prefixUTXO + 1}, func(k, v []byte) (bool, error) {
		txid, vout, ok := parseUTXOKey(k)
		if !ok {
			return false, fmt.Errorf("%w: utxo key %x", errCorrupt, k)
		}
		u, err := decodeUTXO(txid, vout, v)
		if err != nil {
			return false, err
		}
		out = append(out, u)
		return true, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list utxos: %w", err)
	}
	return out, nil
}

// DeleteUTXOs deletes wallet outputs; absent ones are ignored.
func (s *Store) DeleteUTXOs(ctx context.Context, ops ...store.Outpoint) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	b := s.db.NewBatch()
	for _, op := range ops {
		if checkName("txid", op.TxID) == nil {
			b.Delete(utxoKey(op.TxID, op.Vout), nil)
		}
	}
	return commit(b)
}

// PutPendingTx stores a pending transaction and UTXO records in one synced batch.
func (s *Store) PutPendingTx(ctx context.Context, tx store.PendingTx, utxos ...store.UTXO) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	if err := checkName("txid", tx.TxID); err != nil {
		return err
	}
	b := s.db.NewBatch()
	if err := s.setUTXOs(b, utxos); err != nil {
		b.Close()
		return err
	}
	b.Set(nameKey(prefixPendingTx, tx.TxID), encodePendingTx(tx), nil)
	return commit(b)
}

// GetPendingTx returns one pending transaction.
func (s *Store) GetPendingTx(ctx context.Context, txid string) (store.PendingTx, bool, error) {
	if err := ctx.Err(); err != nil {
		return store.PendingTx{}, false, err
	}
	if checkName("txid", txid) != nil {
		return store.PendingTx{}, false, nil
	}
	v, err := s.get(nameKey(prefixPendingTx, txid))
	if err != nil || v == nil {
		return store.PendingTx{}, false, err
	}
	tx, err := decodePendingTx(txid, v)
	if err != nil {
		return store.PendingTx{}, false, fmt.Errorf("pending transaction %s: %w", txid, err)
	}
	return tx, true, nil
}

// PendingTxs returns every pending transaction ordered by creation time, then txid.
func (s *Store) PendingTxs(ctx context.Context) ([]store.PendingTx, error) {
	var out []store.PendingTx
	err := s.scan(ctx, []byte{prefixPendingTx}, []byte{prefixPendingTx + 1}, func(k, v []byte) (bool, error) {
		tx, err := decodePendingTx(string(k[1:]), v)
		if err != nil {
			return false, err
		}
		out = append(out, tx)
		return true, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list pending transactions: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, nil
}

// DeletePendingTx deletes a pending transaction; an absent one is ignored.
func (s *Store) DeletePendingTx(ctx context.Context, txid string) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	if checkName("txid", txid) != nil {
		return nil
	}
	if err := s.db.Delete(nameKey(prefixPendingTx, txid), pebble.Sync); err != nil {
		return fmt.Errorf("delete pending transaction %s: %w", txid, err)
	}
	return nil
}
