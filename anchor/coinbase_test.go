package anchor_test

import (
	"context"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/internal/wallettest"
	"github.com/ionode/ionode/testnet"
)

// TestWriterSkipsImmatureCoinbase gives the writer's key nothing but the coinbases of the blocks btcd
// mines: the writer must not spend one before it is 100 blocks deep (btcd would reject the
// transaction), neither while it learns them from blocks nor after a restart, when it has to ask the
// chain which of its stored outputs are coinbases.
func TestWriterSkipsImmatureCoinbase(t *testing.T) {
	ctx := context.Background()
	key, err := anchor.GenerateKey(testnet.Params)
	if err != nil {
		t.Fatal(err)
	}
	n := startNode(t, testnet.Config{MiningAddr: key.Address()})
	rpc := dial(t, n)
	store := &wallettest.MemStore{}
	f := &chainFollower{w: &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis}, writer: newWriter(rpc, key, store)}
	coinbaseAt := func(height int64) chainhash.Hash {
		t.Helper()
		hash, err := rpc.GetBlockHash(ctx, height)
		if err != nil {
			t.Fatal(err)
		}
		b, err := rpc.GetBlock(ctx, hash)
		if err != nil {
			t.Fatal(err)
		}
		return b.Transactions[0].TxHash()
	}
	spends := func(txid string) chainhash.Hash {
		t.Helper()
		h, _ := chainhash.NewHashFromStr(txid)
		tx, err := rpc.GetRawTransaction(ctx, *h)
		if err != nil {
			t.Fatal(err)
		}
		if len(tx.TxIn) != 1 {
			t.Fatalf("anchor %s has %d inputs, want 1", txid, len(tx.TxIn))
		}
		return tx.TxIn[0].PreviousOutPoint.Hash
	}

	// 99 coinbases of 50 BTC: block 1's would enter block 100 with 99 confirmations, one too few.
	if _, err := n.Generate(ctx, 99); err != nil {
		t.Fatal(err)
	}
	f.poll(t)
	if balance, _ := f.writer.Balance(ctx); balance != 99*50e8 {
		t.Fatalf("balance %d, want the 99 coinbases", balance)
	}
	if _, _, err := f.writer.Anchor(ctx, "1.QmImmature", 1000); !errors.Is(err, anchor.ErrInsufficientFunds) {
		t.Fatalf("anchor with only immature coinbases: %v, want ErrInsufficientFunds", err)
	}

	// One block more: block 1's coinbase, and only it, is spendable.
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)
	txid, _, err := f.writer.Anchor(ctx, "1.QmMature", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := spends(txid), coinbaseAt(1); got != want {
		t.Fatalf("the anchor spends %s, want block 1's coinbase %s", got, want)
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)

	// Restarted: a new writer over the same store knows heights but not which outputs are coinbases.
	f.writer = newWriter(rpc, key, store)
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t) // tip 102: the coinbases of blocks 2 and 3 are mature, 4..102 are not
	txid, _, err = f.writer.Anchor(ctx, "2.QmAfterRestart", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if got := spends(txid); got != coinbaseAt(2) && got != coinbaseAt(3) {
		t.Fatalf("after the restart the anchor spends %s, want block 2's or 3's coinbase", got)
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)
	if c, err := f.writer.Confirmations(ctx, txid); err != nil || c != 1 {
		t.Fatalf("confirmations %d, %v", c, err)
	}
}
