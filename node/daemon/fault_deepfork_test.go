package daemon

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/ionode/ionode/testnet"
)

// TestFaultDeepFork: a reorganization deeper than the batch confirmations (here 1) takes away two
// batches the writer had already completed (their operations left the queue). Their transactions go
// back to the mempool and are mined together in one block of the winning branch, where ION counts only
// the writer's first: W's create, in the second, must be written again from the writer's kept batches
// and resolve on the winning chain, for this node and for a fresh one that only saw that chain.
func TestFaultDeepFork(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two btcd and two nodes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	a := startBitcoin(t, ctx, testnet.Config{ListenPeer: true})
	b := startBitcoin(t, ctx, testnet.Config{ConnectPeers: []string{a.PeerAddr()}})
	d := regtestNode(t, ctx, a, "")
	c := client{t, "http://" + d.Addr()}
	fork, err := testnet.WaitSameTip(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Disconnect(ctx, a.PeerAddr()); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitPeers(ctx, 0); err != nil {
		t.Fatal(err)
	}

	// A's branch: two batches in two blocks, each completed by the writer before the next is posted.
	completed := func() bool {
		inflight, err := d.Store.InFlight(ctx)
		depth, derr := d.Store.QueueDepth(ctx)
		return err == nil && derr == nil && len(inflight) == 0 && depth == 0
	}
	var dids []string
	for _, what := range []string{"Y's create", "W's create"} {
		create, _, _ := newCreate(t)
		did := "did:ion:" + create.DIDSuffix
		dids = append(dids, did)
		mustPost(t, c, create.Body)
		mineUntil(t, ctx, a, what, func() bool { return published(c, did) && completed() })
	}
	didY, didW := dids[0], dids[1]
	waitSynced(t, ctx, d, a)
	depthA := blockCount(t, a) - fork.Height

	// B's branch: empty, two blocks longer.
	if _, err := b.Generate(ctx, uint32(depthA+2)); err != nil {
		t.Fatal(err)
	}
	if err := b.Connect(ctx, a.PeerAddr()); err != nil {
		t.Fatal(err)
	}
	if _, err := testnet.WaitSameTip(ctx, a, b); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the node to switch to B's branch", func() bool {
		sy, _ := c.resolve(didY)
		sw, _ := c.resolve(didW)
		return sy == 404 && sw == 404
	})

	// The next block carries both old transactions (W's spends Y's change), Y's first. Mining goes on
	// until W's create is written again.
	mineUntil(t, ctx, a, "W's create rewritten on the winning branch", func() bool {
		return published(c, didY) && published(c, didW) && completed()
	})
	waitSynced(t, ctx, d, a)
	noFailure(t, d)
	hash, err := d.Store.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fresh := observerNode(t, ctx, b, d)
	fc := client{t, "http://" + fresh.Addr()}
	waitUntil(t, "the fresh node to reach the same state", func() bool {
		got, err := fresh.Store.StateHash(ctx)
		return err == nil && bytes.Equal(got, hash) && published(fc, didY) && published(fc, didW)
	})
}
