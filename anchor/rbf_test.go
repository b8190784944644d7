package anchor_test

import (
	"context"
	"testing"

	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/internal/wallettest"
	"github.com/ionode/ionode/testnet"
)

// TestWriterBumpsStuckTransaction gets an anchor stuck for real: it is broadcast to node A while A is
// cut off from B, B mines 3 blocks without it, A follows them; the writer then replaces it (RBF) and
// the replacement confirms.
func TestWriterBumpsStuckTransaction(t *testing.T) {
	ctx := context.Background()
	a := startNode(t, testnet.Config{ListenPeer: true})
	b := startNode(t, testnet.Config{ConnectPeers: []string{a.PeerAddr()}})
	rpc := dial(t, a)
	key, _ := anchor.GenerateKey(testnet.Params)
	writer := newWriter(rpc, key, &wallettest.MemStore{})
	writer.BumpAfterBlocks = 3
	f := &chainFollower{w: &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis}, writer: writer}
	if _, err := a.Fund(ctx, key.Address(), btcutil.Amount(btcutil.SatoshiPerBitcoin)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	waitSameTip(t, a, b)
	f.poll(t)

	if err := b.Disconnect(ctx, a.PeerAddr()); err != nil {
		t.Fatal(err)
	}
	waitPeers(t, a, 0)
	oldID, oldFee, err := writer.Anchor(ctx, "1.QmStuck", 1000)
	if err != nil {
		t.Fatal(err)
	}
	f.poll(t) // not stuck yet: nothing to do
	if id, _, _ := writer.Lookup(ctx, "1.QmStuck"); id != oldID {
		t.Fatalf("replaced too early: %s", id)
	}
	if _, err := b.Generate(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if err := b.Connect(ctx, a.PeerAddr()); err != nil {
		t.Fatal(err)
	}
	waitSameTip(t, a, b)
	f.poll(t) // three blocks without it: bumped
	newID, ok, err := writer.Lookup(ctx, "1.QmStuck")
	if err != nil || !ok || newID == oldID {
		t.Fatalf("after 3 blocks: Lookup = %s %v %v, old %s", newID, ok, err, oldID)
	}
	oldHash, _ := chainhash.NewHashFromStr(oldID)
	if st, _ := rpc.TransactionStatus(ctx, *oldHash); st.Found {
		t.Fatal("replaced transaction still in the mempool")
	}
	if _, err := a.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)
	if c, err := writer.Confirmations(ctx, oldID); err != nil || c != 1 {
		t.Fatalf("confirmations through the replacement: %d %v", c, err)
	}
	var found []anchor.Transaction
	for _, tx := range f.rec.txs {
		if tx.AnchorString == "1.QmStuck" {
			found = append(found, tx)
		}
	}
	if len(found) != 1 || found[0].TxID != newID || found[0].FeePaid <= oldFee {
		t.Fatalf("anchors on chain %+v; replacement %s must pay more than %d", found, newID, oldFee)
	}
}
