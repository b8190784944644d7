package anchor_test

import (
	"context"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/testnet"
)

func waitSameTip(t *testing.T, a, b *testnet.Node) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ha, errA := a.Client().GetBestBlockHash()
		hb, errB := b.Client().GetBestBlockHash()
		if errA == nil && errB == nil && *ha == *hb {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("tips differ: %v %v (%v %v)", ha, hb, errA, errB)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func waitPeers(t *testing.T, n *testnet.Node, want int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := n.PeerCount(context.Background())
		if err == nil && got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("peers %d, want %d (%v)", got, want, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// anchorBlocks mines one block per anchor string, each carrying one ION transaction from the node's
// harness key, and returns the anchor strings in chain order.
func anchorBlocks(t *testing.T, n *testnet.Node, anchors ...string) {
	t.Helper()
	ctx := context.Background()
	for _, a := range anchors {
		if _, err := n.Send(ctx, []*wire.TxOut{opReturn(t, anchor.Prefix+a)}); err != nil {
			t.Fatal(err)
		}
		if _, err := n.Generate(ctx, 1); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWatcherReorgBetweenTwoNodes forks the chain with two btcd nodes: the watcher follows node A,
// which mines a 3-block branch with anchors while disconnected; node B mines a 4-block branch with
// other anchors; on reconnection A switches to B's branch and the watcher reports the reorg.
func TestWatcherReorgBetweenTwoNodes(t *testing.T) {
	ctx := context.Background()
	a := startNode(t, testnet.Config{ListenPeer: true})
	b := startNode(t, testnet.Config{ConnectPeers: []string{a.PeerAddr()}})
	// Give B's harness a confirmed coin so it can write anchors on its own branch.
	if _, err := a.Fund(ctx, b.HarnessAddr(), btcutil.Amount(10*btcutil.SatoshiPerBitcoin)); err != nil {
		t.Fatal(err)
	}
	anchorBlocks(t, a, "1.QmCommon")
	waitSameTip(t, a, b)

	rpc := dial(t, a)
	w := &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis}
	var r recorder
	r.poll(t, w)
	forkHeight := r.cursor.Height
	if len(r.txs) != 1 || r.txs[0].AnchorString != "1.QmCommon" {
		t.Fatalf("before the fork: %+v", r.txs)
	}

	if err := b.Disconnect(ctx, a.PeerAddr()); err != nil {
		t.Fatal(err)
	}
	waitPeers(t, a, 0)
	anchorBlocks(t, a, "1.QmA1", "2.QmA2", "3.QmA3")
	r.poll(t, w)
	if len(r.txs) != 4 {
		t.Fatalf("on A's branch: %+v", r.txs)
	}
	branchA := r.txs[1:]
	anchorBlocks(t, b, "1.QmB1", "2.QmB2", "3.QmB3")
	if _, err := b.Generate(ctx, 1); err != nil { // B's branch is longer: 4 blocks
		t.Fatal(err)
	}

	if err := b.Connect(ctx, a.PeerAddr()); err != nil {
		t.Fatal(err)
	}
	waitSameTip(t, a, b)
	eventsBefore := len(r.events)
	r.poll(t, w)
	events := r.events[eventsBefore:]
	reorg, ok := events[0].(*anchor.Reorg)
	if !ok {
		t.Fatalf("first event after the switch is %T, want *Reorg", events[0])
	}
	if reorg.ForkHeight != forkHeight || reorg.RevertAfterTransactionNumber != uint64(forkHeight)*1_000_000+999_999 {
		t.Fatalf("reorg %+v, fork at %d", reorg, forkHeight)
	}
	// Exactly branch A's transactions are reverted.
	for _, tx := range branchA {
		if tx.Number <= reorg.RevertAfterTransactionNumber {
			t.Fatalf("A-branch transaction %d survives the revert", tx.Number)
		}
	}
	// Then B's branch, block by block, in order.
	var heights []int64
	var anchors []string
	for _, ev := range events[1:] {
		blk, ok := ev.(*anchor.Block)
		if !ok {
			t.Fatalf("event %T after the reorg", ev)
		}
		heights = append(heights, blk.Height)
		for _, tx := range blk.Transactions {
			anchors = append(anchors, tx.AnchorString)
		}
	}
	if len(heights) != 4 || heights[0] != forkHeight+1 || heights[3] != forkHeight+4 {
		t.Fatalf("new branch heights %v after fork %d", heights, forkHeight)
	}
	want := []string{"1.QmB1", "2.QmB2", "3.QmB3"}
	if len(anchors) != 3 || anchors[0] != want[0] || anchors[1] != want[1] || anchors[2] != want[2] {
		t.Fatalf("new branch anchors %v, want %v", anchors, want)
	}
	var surviving []string
	for _, tx := range r.txs {
		surviving = append(surviving, tx.AnchorString)
	}
	if len(surviving) != 4 || surviving[0] != "1.QmCommon" || surviving[3] != "3.QmB3" {
		t.Fatalf("transactions after the reorg: %v", surviving)
	}
}
