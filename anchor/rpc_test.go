package anchor_test

import (
	"context"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/rpcclient"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/testnet"
)

func TestRPCBlockHashesAndBlocks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n := startNode(t, testnet.Config{})
	fast := dial(t, n)
	client, err := rpcclient.New(n.RPCConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Shutdown()
	plain := anchor.NewRPC(client) // rpcclient for every call: the reference for the fast paths
	if _, err := n.Generate(ctx, 5); err != nil {
		t.Fatal(err)
	}
	tip, err := fast.GetBlockCount(ctx)
	if err != nil || tip != 5 {
		t.Fatalf("block count %d, %v; want 5", tip, err)
	}
	for _, r := range []*anchor.RPC{fast, plain} {
		hashes, err := r.GetBlockHashes(ctx, 0, int(tip)+1)
		if err != nil {
			t.Fatal(err)
		}
		for h, got := range hashes {
			want, err := plain.GetBlockHash(ctx, int64(h))
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("height %d: hash %s, want %s", h, got, want)
			}
			b, err := r.GetBlock(ctx, got)
			if err != nil {
				t.Fatal(err)
			}
			if b.BlockHash() != want {
				t.Fatalf("height %d: block %s, want %s", h, b.BlockHash(), want)
			}
			coinbase := b.Transactions[0].TxHash()
			tx, err := r.GetRawTransaction(ctx, coinbase)
			if h > 0 && (err != nil || tx.TxHash() != coinbase) { // the genesis coinbase is not indexed
				t.Fatalf("height %d: coinbase %s: %v", h, coinbase, err)
			}
		}
		if _, err := r.GetBlockHashes(ctx, tip, 2); err == nil {
			t.Fatal("hashes beyond the tip")
		}
		if _, err := r.GetBlock(ctx, chainhash.Hash{1}); err == nil {
			t.Fatal("unknown block found")
		}
	}
}
