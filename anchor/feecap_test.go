package anchor_test

import (
	"context"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/btcutil/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/internal/wallettest"
	"github.com/ionode/ionode/testnet"
)

// TestWriterFeeCaps: an anchor over --max-fee, or one the budget refuses, is neither recorded nor
// broadcast; the budget is asked about the fee the signed transaction actually pays.
func TestWriterFeeCaps(t *testing.T) {
	ctx := context.Background()
	n := startNode(t, testnet.Config{})
	rpc := dial(t, n)
	key, _ := anchor.GenerateKey(testnet.Params)
	store := &wallettest.MemStore{}
	w := newWriter(rpc, key, store)
	f := &chainFollower{w: &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis}, writer: w}
	if _, err := n.Fund(ctx, key.Address(), btcutil.Amount(btcutil.SatoshiPerBitcoin)); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)
	nothingSent := func(what string) {
		t.Helper()
		if p, _ := store.PendingTxs(ctx); len(p) != 0 {
			t.Fatalf("%s: %d transactions recorded", what, len(p))
		}
		if bal, _ := w.Balance(ctx); bal != btcutil.SatoshiPerBitcoin {
			t.Fatalf("%s: balance %d", what, bal)
		}
	}

	w.MaxFee = 4000
	if _, _, err := w.Anchor(ctx, "1.QmCapped", 5000); !errors.Is(err, anchor.ErrFeeCap) {
		t.Fatalf("minimum fee 5000 over --max-fee 4000: %v", err)
	}
	nothingSent("over --max-fee")

	w.MaxFee = 0
	var approved int64
	w.ApproveFee = func(_ context.Context, fee int64, _ string) error {
		approved = fee
		return errors.New("fee budget reached")
	}
	if _, _, err := w.Anchor(ctx, "1.QmBudget", 1000); !errors.Is(err, anchor.ErrFeeCap) {
		t.Fatalf("refused by the budget: %v", err)
	}
	nothingSent("over the budget")

	w.ApproveFee = func(_ context.Context, fee int64, _ string) error { approved = fee; return nil }
	_, fee, err := w.Anchor(ctx, "1.QmBudget", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if approved <= 0 || uint64(approved) != fee {
		t.Fatalf("the budget was asked about %d satoshis, the transaction pays %d", approved, fee)
	}
}
