package mongo

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/ionode/ionode/node/store"
)

// utxoDoc is a wallet output; _id is "txid:vout".
type utxoDoc struct {
	ID         string `bson:"_id"`
	TxID       string `bson:"txid"`
	Vout       int64  `bson:"vout"`
	Value      int64  `bson:"value"`
	PkScript   []byte `bson:"pkScript"`
	Height     int64  `bson:"height"`
	ReservedBy string `bson:"reservedBy"`
	SpentBy    string `bson:"spentBy"`
}

func outpointID(op store.Outpoint) string { return fmt.Sprintf("%s:%d", op.TxID, op.Vout) }

func newUTXODoc(u store.UTXO) utxoDoc {
	pk := u.PkScript
	if pk == nil {
		pk = []byte{}
	}
	return utxoDoc{outpointID(u.Outpoint), u.TxID, int64(u.Vout), u.Value, pk, u.Height, u.ReservedBy, u.SpentBy}
}

func (d utxoDoc) utxo() store.UTXO {
	return store.UTXO{
		Outpoint:   store.Outpoint{TxID: d.TxID, Vout: uint32(d.Vout)},
		Value:      d.Value,
		PkScript:   d.PkScript,
		Height:     d.Height,
		ReservedBy: d.ReservedBy,
		SpentBy:    d.SpentBy,
	}
}

// pendingDoc is a pending transaction; _id is its txid.
type pendingDoc struct {
	TxID            string `bson:"_id"`
	Raw             []byte `bson:"raw"`
	Kind            string `bson:"kind"`
	Anchor          string `bson:"anchor"`
	Created         int64  `bson:"created"`
	Status          string `bson:"status"`
	Fee             int64  `bson:"fee"`
	BroadcastHeight int64  `bson:"broadcastHeight"`
	ConfirmedHeight int64  `bson:"confirmedHeight"`
	ReplacedBy      string `bson:"replacedBy"`
}

func (d pendingDoc) pending() store.PendingTx {
	return store.PendingTx{TxID: d.TxID, Raw: d.Raw, Kind: d.Kind, Anchor: d.Anchor, Created: fromNanos(d.Created), Status: d.Status,
		Fee: d.Fee, BroadcastHeight: d.BroadcastHeight, ConfirmedHeight: d.ConfirmedHeight, ReplacedBy: d.ReplacedBy}
}

func (s *Store) putUTXOs(ctx context.Context, utxos []store.UTXO) error {
	if len(utxos) == 0 {
		return nil
	}
	models := make([]mongo.WriteModel, 0, len(utxos))
	for _, u := range utxos {
		if u.TxID == "" {
			return errors.New("utxo without txid")
		}
		d := newUTXODoc(u)
		models = append(models, mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: "_id", Value: d.ID}}).SetReplacement(d).SetUpsert(true))
	}
	if err := s.bulkUpdate(ctx, s.utxos, models, true); err != nil {
		return fmt.Errorf("store utxos: %w", err)
	}
	return nil
}

// PutUTXOs stores (replaces) wallet outputs.
func (s *Store) PutUTXOs(ctx context.Context, utxos ...store.UTXO) error {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	return s.putUTXOs(ctx, utxos)
}

// GetUTXO returns one wallet output.
func (s *Store) GetUTXO(ctx context.Context, op store.Outpoint) (store.UTXO, bool, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	var d utxoDoc
	err := s.utxos.FindOne(ctx, bson.D{{Key: "_id", Value: outpointID(op)}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return store.UTXO{}, false, nil
	}
	if err != nil {
		return store.UTXO{}, false, fmt.Errorf("read utxo %s: %w", outpointID(op), err)
	}
	return d.utxo(), true, nil
}

// UTXOs returns every wallet output ordered by (TxID, Vout). The wallet is small: it is read whole.
func (s *Store) UTXOs(ctx context.Context) ([]store.UTXO, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	cur, err := s.utxos.Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list utxos: %w", err)
	}
	var docs []utxoDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list utxos: %w", err)
	}
	out := make([]store.UTXO, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.utxo())
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].TxID != out[j].TxID {
			return out[i].TxID < out[j].TxID
		}
		return out[i].Vout < out[j].Vout
	})
	return out, nil
}

// DeleteUTXOs deletes wallet outputs; absent ones are ignored.
func (s *Store) DeleteUTXOs(ctx context.Context, ops ...store.Outpoint) error {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	if len(ops) == 0 {
		return nil
	}
	ids := make([]string, len(ops))
	for i, op := range ops {
		ids[i] = outpointID(op)
	}
	if _, err := s.utxos.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}); err != nil {
		return fmt.Errorf("delete utxos: %w", err)
	}
	return nil
}

// PutPendingTx stores the UTXO records first, then the pending transaction: a crash in between leaves
// outputs reserved by a transaction the writer does not know, which it can release.
func (s *Store) PutPendingTx(ctx context.Context, tx store.PendingTx, utxos ...store.UTXO) error {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	if tx.TxID == "" {
		return errors.New("pending transaction without txid")
	}
	if err := s.putUTXOs(ctx, utxos); err != nil {
		return err
	}
	raw := tx.Raw
	if raw == nil {
		raw = []byte{}
	}
	d := pendingDoc{TxID: tx.TxID, Raw: raw, Kind: tx.Kind, Anchor: tx.Anchor, Created: nanos(tx.Created), Status: tx.Status,
		Fee: tx.Fee, BroadcastHeight: tx.BroadcastHeight, ConfirmedHeight: tx.ConfirmedHeight, ReplacedBy: tx.ReplacedBy}
	err = upsertRetry(func() error {
		_, err := s.pending.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.TxID}}, d, options.Replace().SetUpsert(true))
		return err
	})
	if err != nil {
		return fmt.Errorf("store pending transaction %s: %w", tx.TxID, err)
	}
	return nil
}

// GetPendingTx returns one pending transaction.
func (s *Store) GetPendingTx(ctx context.Context, txid string) (store.PendingTx, bool, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	var d pendingDoc
	err := s.pending.FindOne(ctx, bson.D{{Key: "_id", Value: txid}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return store.PendingTx{}, false, nil
	}
	if err != nil {
		return store.PendingTx{}, false, fmt.Errorf("read pending transaction %s: %w", txid, err)
	}
	return d.pending(), true, nil
}

// PendingTxs returns every pending transaction ordered by creation time, then txid.
func (s *Store) PendingTxs(ctx context.Context) ([]store.PendingTx, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	cur, err := s.pending.Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list pending transactions: %w", err)
	}
	var docs []pendingDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list pending transactions: %w", err)
	}
	out := make([]store.PendingTx, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.pending())
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].TxID < out[j].TxID
	})
	return out, nil
}

// DeletePendingTx deletes a pending transaction; an absent one is ignored.
func (s *Store) DeletePendingTx(ctx context.Context, txid string) error {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	if _, err := s.pending.DeleteOne(ctx, bson.D{{Key: "_id", Value: txid}}); err != nil {
		return fmt.Errorf("delete pending transaction %s: %w", txid, err)
	}
	return nil
}
