package daemon

import (
	"context"
	"errors"
	"fmt"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/node/writer"
)

// queue is the store's operation queue as the batch writer takes it.
type queue struct{ s store.Store }

func toWriterOps(in []store.QueuedOperation) []writer.Operation {
	out := make([]writer.Operation, len(in))
	for i, op := range in {
		out[i] = writer.Operation{BatchID: op.BatchID, DIDSuffix: op.DIDSuffix, Type: op.Type, Request: op.Request}
	}
	return out
}

func (q queue) TakeBatch(ctx context.Context, max int) ([]writer.Operation, error) {
	ops, err := q.s.TakeBatch(ctx, max)
	return toWriterOps(ops), err
}

func (q queue) InFlight(ctx context.Context) ([]writer.Operation, error) {
	ops, err := q.s.InFlight(ctx)
	return toWriterOps(ops), err
}

func (q queue) ReturnBatch(ctx context.Context, id string) error   { return q.s.ReturnBatch(ctx, id) }
func (q queue) CompleteBatch(ctx context.Context, id string) error { return q.s.CompleteBatch(ctx, id) }
func (q queue) QueueDepth(ctx context.Context) (int, error)        { return q.s.QueueDepth(ctx) }

func (q queue) Requeue(ctx context.Context, op writer.Operation) error {
	err := q.s.Enqueue(ctx, op.DIDSuffix, op.Type, op.Request)
	if errors.Is(err, node.ErrAlreadyQueued) {
		return fmt.Errorf("%w: %w", writer.ErrDIDBusy, err)
	}
	return err
}

// walletStore is the store's wallet records as the anchor writer keeps them.
type walletStore struct{ s store.Store }

func toStoreUTXO(u anchor.UTXO) store.UTXO {
	return store.UTXO{Outpoint: store.Outpoint(u.Outpoint), Value: u.Value, PkScript: u.PkScript, Height: u.Height, ReservedBy: u.ReservedBy, SpentBy: u.SpentBy}
}

func toAnchorUTXO(u store.UTXO) anchor.UTXO {
	return anchor.UTXO{Outpoint: anchor.Outpoint(u.Outpoint), Value: u.Value, PkScript: u.PkScript, Height: u.Height, ReservedBy: u.ReservedBy, SpentBy: u.SpentBy}
}

func toStoreTx(t anchor.PendingTx) store.PendingTx {
	return store.PendingTx{TxID: t.TxID, Raw: t.Raw, Kind: t.Kind, Anchor: t.Anchor, Created: t.Created, Status: t.Status,
		Fee: t.Fee, BroadcastHeight: t.BroadcastHeight, ConfirmedHeight: t.ConfirmedHeight, ReplacedBy: t.ReplacedBy}
}

func toAnchorTx(t store.PendingTx) anchor.PendingTx {
	return anchor.PendingTx{TxID: t.TxID, Raw: t.Raw, Kind: t.Kind, Anchor: t.Anchor, Created: t.Created, Status: t.Status,
		Fee: t.Fee, BroadcastHeight: t.BroadcastHeight, ConfirmedHeight: t.ConfirmedHeight, ReplacedBy: t.ReplacedBy}
}

func (w walletStore) PutUTXOs(ctx context.Context, utxos ...anchor.UTXO) error {
	out := make([]store.UTXO, len(utxos))
	for i, u := range utxos {
		out[i] = toStoreUTXO(u)
	}
	return w.s.PutUTXOs(ctx, out...)
}

func (w walletStore) GetUTXO(ctx context.Context, op anchor.Outpoint) (anchor.UTXO, bool, error) {
	u, ok, err := w.s.GetUTXO(ctx, store.Outpoint(op))
	return toAnchorUTXO(u), ok, err
}

func (w walletStore) UTXOs(ctx context.Context) ([]anchor.UTXO, error) {
	in, err := w.s.UTXOs(ctx)
	out := make([]anchor.UTXO, len(in))
	for i, u := range in {
		out[i] = toAnchorUTXO(u)
	}
	return out, err
}

func (w walletStore) DeleteUTXOs(ctx context.Context, ops ...anchor.Outpoint) error {
	out := make([]store.Outpoint, len(ops))
	for i, op := range ops {
		out[i] = store.Outpoint(op)
	}
	return w.s.DeleteUTXOs(ctx, out...)
}

func (w walletStore) PutPendingTx(ctx context.Context, tx anchor.PendingTx, utxos ...anchor.UTXO) error {
	out := make([]store.UTXO, len(utxos))
	for i, u := range utxos {
		out[i] = toStoreUTXO(u)
	}
	return w.s.PutPendingTx(ctx, toStoreTx(tx), out...)
}

func (w walletStore) GetPendingTx(ctx context.Context, txid string) (anchor.PendingTx, bool, error) {
	t, ok, err := w.s.GetPendingTx(ctx, txid)
	return toAnchorTx(t), ok, err
}

func (w walletStore) PendingTxs(ctx context.Context) ([]anchor.PendingTx, error) {
	in, err := w.s.PendingTxs(ctx)
	out := make([]anchor.PendingTx, len(in))
	for i, t := range in {
		out[i] = toAnchorTx(t)
	}
	return out, err
}

func (w walletStore) DeletePendingTx(ctx context.Context, txid string) error {
	return w.s.DeletePendingTx(ctx, txid)
}

var _ anchor.WalletStore = walletStore{}
var _ writer.Queue = queue{}
