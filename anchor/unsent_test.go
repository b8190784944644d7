package anchor_test

import (
	"context"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/internal/wallettest"
	"github.com/ionode/ionode/testnet"
)

// errProcessGone is what unsent returns: the process ended before the call could leave it.
var errProcessGone = errors.New("the process was killed")

// unsent is the chain as a writer sees it when its process is killed right after it recorded a
// transaction: nothing it sends from then on reaches the node.
type unsent struct{ anchor.WalletChain }

func (unsent) SendRawTransaction(context.Context, *wire.MsgTx) (chainhash.Hash, error) {
	return chainhash.Hash{}, errProcessGone
}

func (unsent) TransactionStatus(context.Context, chainhash.Hash) (anchor.TxStatus, error) {
	return anchor.TxStatus{}, errProcessGone
}

// TestWriterSendsTransactionRecordedBeforeACrash: the writer records a transaction, its inputs
// reserved, before it broadcasts it. Killed in between, it leaves a record of a transaction no node
// has. The restarted writer (a new one on the same store) must find that transaction by its anchor
// string, so the batch writer does not anchor the batch a second time, broadcast it, and see it
// confirm: one anchor on the chain.
func TestWriterSendsTransactionRecordedBeforeACrash(t *testing.T) {
	ctx := context.Background()
	n := startNode(t, testnet.Config{})
	rpc := dial(t, n)
	key, err := anchor.GenerateKey(testnet.Params)
	if err != nil {
		t.Fatal(err)
	}
	store := &wallettest.MemStore{}
	f := &chainFollower{w: &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis}, writer: newWriter(rpc, key, store)}
	if _, err := n.Fund(ctx, key.Address(), btcutil.Amount(btcutil.SatoshiPerBitcoin)); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)

	const anchorString = "1.QmRecordedBeforeACrash"
	f.writer.Chain = unsent{rpc}
	if _, _, err := f.writer.Anchor(ctx, anchorString, 1000); !errors.Is(err, errProcessGone) {
		t.Fatalf("Anchor with the process gone: %v", err)
	}

	// Restart: a new writer on the same store, following the chain from where it was.
	f = &chainFollower{w: f.w, writer: newWriter(rpc, key, store), rec: f.rec}
	txid, ok, err := f.writer.Lookup(ctx, anchorString)
	if err != nil || !ok {
		t.Fatalf("the restarted writer does not know the recorded transaction: %v %v", ok, err)
	}
	hash, err := chainhash.NewHashFromStr(txid)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := rpc.TransactionStatus(ctx, *hash); err != nil || st.Found {
		t.Fatalf("the node has the transaction before the restarted writer sent it: %+v %v", st, err)
	}
	f.poll(t) // its maintenance sends what the node does not have
	if st, err := rpc.TransactionStatus(ctx, *hash); err != nil || !st.Found {
		t.Fatalf("the restarted writer did not send the recorded transaction: %+v %v", st, err)
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)
	if c, err := f.writer.Confirmations(ctx, txid); err != nil || c != 1 {
		t.Fatalf("confirmations: %d %v", c, err)
	}
	var anchors []anchor.Transaction
	for _, tx := range f.rec.txs {
		if tx.AnchorString == anchorString {
			anchors = append(anchors, tx)
		}
	}
	if len(anchors) != 1 || anchors[0].TxID != txid {
		t.Fatalf("anchors of %s on the chain: %+v, want the one transaction %s", anchorString, anchors, txid)
	}
}
