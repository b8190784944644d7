package daemon

import (
	"context"
	"testing"
	"time"

	"github.com/ionode/ionode/testnet"
)

// TestFaultReorg invalidates, on btcd, the blocks that carried an anchor the node had observed: the node
// rolls the operations back (the create: DID not found; the update: the earlier document), and when the
// transactions, back in btcd's mempool, are mined again on the new chain, the state returns.
func TestFaultReorg(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	btc, d := faultNode(t, ctx)
	c := client{t, "http://" + d.Addr()}

	create, _, upd := newCreate(t)
	did := "did:ion:" + create.DIDSuffix
	before := blockCount(t, btc)
	mustPost(t, c, create.Body)
	mineUntil(t, ctx, btc, "the create", func() bool { return published(c, did) })
	invalidateAfter(t, btc, before)
	waitUntil(t, "the create to be rolled back", func() bool { status, _ := c.resolve(did); return status == 404 })
	mineUntil(t, ctx, btc, "the create mined again", func() bool { return published(c, did) })

	before = blockCount(t, btc)
	mustPost(t, c, newUpdate(t, create.DIDSuffix, upd))
	mineUntil(t, ctx, btc, "the update", func() bool { return hasService(c, did, "extra") })
	invalidateAfter(t, btc, before)
	waitUntil(t, "the update to be rolled back", func() bool { return published(c, did) && !hasService(c, did, "extra") })
	mineUntil(t, ctx, btc, "the update mined again", func() bool { return hasService(c, did, "extra") && hasService(c, did, "hub") })
	noFailure(t, d)
}

func blockCount(t *testing.T, btc *testnet.Node) int64 {
	t.Helper()
	n, err := btc.Client().GetBlockCount()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// invalidateAfter makes btcd drop every block above height: its chain tip becomes that block, and the
// transactions of the dropped blocks return to its mempool.
func invalidateAfter(t *testing.T, btc *testnet.Node, height int64) {
	t.Helper()
	hash, err := btc.Client().GetBlockHash(height + 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := btc.Client().InvalidateBlock(hash); err != nil {
		t.Fatal(err)
	}
	if got := blockCount(t, btc); got != height {
		t.Fatalf("after invalidateblock the chain is at %d, want %d", got, height)
	}
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute) // a safety net: under load a step takes many times its usual time
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
