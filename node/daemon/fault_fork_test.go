package daemon

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/testnet"
)

// TestFaultFork forks the chain with two btcd nodes on loopback (a competing branch, not
// invalidateblock). The node follows A and writes on it; B, cut off, mines a longer branch carrying
// another writer's batches. When the two join, A switches to B's branch and the node must follow:
// the DID created on A's branch is not found, the DID updated only there has its earlier document,
// the DID updated differently on each branch has B's update, B's create resolves, and the node's state
// hash equals that of a fresh node that only ever saw the winning chain.
func TestFaultFork(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two btcd and two nodes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	a := startBitcoin(t, ctx, testnet.Config{ListenPeer: true})
	b := startBitcoin(t, ctx, testnet.Config{ConnectPeers: []string{a.PeerAddr()}})
	// B's harness key is the writer of B's branch: give it a coin before the split (regtestNode mines it).
	if _, err := a.Fund(ctx, b.HarnessAddr(), btcutil.Amount(10*btcutil.SatoshiPerBitcoin)); err != nil {
		t.Fatal(err)
	}
	d := regtestNode(t, ctx, a, "", func(s *nodeSetup) {
		s.Config.CASFetchTimeout = time.Second
		s.Config.UnresolvableRetry = 500 * time.Millisecond
	})
	c := client{t, "http://" + d.Addr()}

	// Common history: X (updated on both branches) and V (updated on A's only).
	createX, _, updX := newCreate(t)
	createV, _, updV := newCreate(t)
	didX, didV := "did:ion:"+createX.DIDSuffix, "did:ion:"+createV.DIDSuffix
	mustPost(t, c, createX.Body)
	mustPost(t, c, createV.Body)
	mineUntil(t, ctx, a, "the common creates", func() bool { return published(c, didX) && published(c, didV) })
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

	// A's branch, written by the node: Y created, X and V updated; at least 3 blocks deep.
	createY, _, _ := newCreate(t)
	didY := "did:ion:" + createY.DIDSuffix
	mustPost(t, c, createY.Body)
	mustPost(t, c, newUpdate(t, createX.DIDSuffix, updX))
	mustPost(t, c, newUpdate(t, createV.DIDSuffix, updV))
	mineUntil(t, ctx, a, "A's branch operations", func() bool {
		return published(c, didY) && hasService(c, didX, "extra") && hasService(c, didV, "extra")
	})
	for blockCount(t, a)-fork.Height < 3 {
		if _, err := a.Generate(ctx, 1); err != nil {
			t.Fatal(err)
		}
	}
	waitSynced(t, ctx, d, a)
	depthA := blockCount(t, a) - fork.Height

	// B's branch, written by B's harness key: Z created, X updated with another service; files in the
	// node's CAS; two blocks longer than A's.
	createZ, _, _ := newCreate(t)
	didZ := "did:ion:" + createZ.DIDSuffix
	updateXonB, err := sidetree.NewUpdateRequest(createX.DIDSuffix, updX, mustKey(t), sidetree.UpdateChanges{
		AddServices: []sidetree.Service{{ID: "other", Type: "LinkedDomains", Endpoint: sidetree.String("https://other.example.com/")}},
	}, sidetree.Regtest().Latest())
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range []sidetree.Value{createZ.Body, updateXonB} {
		anchorString, files := buildBatch(t, req)
		putFiles(t, ctx, d, files)
		data, err := txscript.NullDataScript([]byte(anchor.Prefix + anchorString))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Send(ctx, []*wire.TxOut{wire.NewTxOut(0, data)}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Generate(ctx, 1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Generate(ctx, uint32(depthA)); err != nil {
		t.Fatal(err)
	}
	if published(c, didZ) || hasService(c, didX, "other") {
		t.Fatal("B's branch seen before the nodes joined")
	}

	if err := b.Connect(ctx, a.PeerAddr()); err != nil {
		t.Fatal(err)
	}
	tip, err := testnet.WaitSameTip(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if tip.Height != fork.Height+depthA+2 {
		t.Fatalf("joined at %d, want B's tip %d (fork %d, A's branch %d blocks)", tip.Height, fork.Height+depthA+2, fork.Height, depthA)
	}
	waitUntil(t, "the node to switch to B's branch", func() bool {
		status, _ := c.resolve(didY)
		return status == 404 && published(c, didZ) && hasService(c, didX, "other")
	})
	if hasService(c, didX, "extra") || !hasService(c, didX, "hub") {
		t.Fatal("X does not have exactly B's update")
	}
	if !published(c, didV) || hasService(c, didV, "extra") {
		t.Fatal("V's update on A's branch not rolled back")
	}
	waitSynced(t, ctx, d, a)
	noFailure(t, d)

	// A node that only ever saw the winning chain computes the same state.
	hash, err := d.Store.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fresh := observerNode(t, ctx, b, d)
	fc := client{t, "http://" + fresh.Addr()}
	waitUntil(t, "the fresh node to reach the same state", func() bool {
		got, err := fresh.Store.StateHash(ctx)
		return err == nil && bytes.Equal(got, hash) && published(fc, didZ)
	})
	for _, did := range []string{didX, didV, didZ} {
		_, mine := c.resolve(did)
		_, theirs := fc.resolve(did)
		if !bytes.Equal(mine.Field("didDocument").Stringify(), theirs.Field("didDocument").Stringify()) {
			t.Fatalf("%s differs:\n%s\n%s", did, mine.Stringify(), theirs.Stringify())
		}
	}
	if status, _ := fc.resolve(didY); status != 404 {
		t.Fatalf("fresh node resolves the losing branch's DID: %d", status)
	}

	// The writer keeps working on the winning chain. Its transactions from A's branch went back to the
	// mempool, and its wallet chains on its own change, so they are mined together in one block. ION
	// counts one transaction per writer and block: Y's create (the first) counts again at its new place;
	// the batch with the updates is ignored, so the writer must return it to the queue and write it
	// again: V's update applies, X's A-side update never can (B's update used its key).
	createW, _, _ := newCreate(t)
	didW := "did:ion:" + createW.DIDSuffix
	mustPost(t, c, createW.Body)
	mineUntil(t, ctx, a, "a create and the rewritten update after the fork", func() bool {
		return published(c, didW) && published(c, didY) && hasService(c, didV, "extra")
	})
	if hasService(c, didX, "extra") || !hasService(c, didX, "other") {
		t.Fatal("X lost B's update after the writer's next batch")
	}
	waitSynced(t, ctx, d, a)
	hash, err = d.Store.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the fresh node to agree after the next batch", func() bool {
		got, err := fresh.Store.StateHash(ctx)
		return err == nil && bytes.Equal(got, hash)
	})
	noFailure(t, d)
}
