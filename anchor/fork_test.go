package anchor_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/internal/wallettest"
	"github.com/ionode/ionode/testnet"
)

func waitSameTip(t *testing.T, nodes ...*testnet.Node) testnet.Tip {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	tip, err := testnet.WaitSameTip(ctx, nodes...)
	if err != nil {
		t.Fatal(err)
	}
	return tip
}

func waitPeers(t *testing.T, n *testnet.Node, want int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := n.WaitPeers(ctx, want); err != nil {
		t.Fatal(err)
	}
}

// mineBlock mines one block on n carrying one ION transaction per anchor string, sent from the node's
// harness key in that order (btcd orders a chain of dependent transactions the same way in the block).
func mineBlock(t *testing.T, n *testnet.Node, anchors ...string) {
	t.Helper()
	ctx := context.Background()
	for _, a := range anchors {
		if _, err := n.Send(ctx, []*wire.TxOut{opReturn(t, anchor.Prefix+a)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
}

// forkNet is two btcd nodes on loopback, A (the one watched) and B, which share a chain until split.
type forkNet struct{ a, b *testnet.Node }

// startForkNet starts A and B connected, gives B's harness a confirmed coin so it can write anchors on
// its own branch, and mines a block with a common anchor that both nodes have.
func startForkNet(t *testing.T) forkNet {
	t.Helper()
	a := startNode(t, testnet.Config{ListenPeer: true})
	b := startNode(t, testnet.Config{ConnectPeers: []string{a.PeerAddr()}})
	if _, err := a.Fund(context.Background(), b.HarnessAddr(), btcutil.Amount(10*btcutil.SatoshiPerBitcoin)); err != nil {
		t.Fatal(err)
	}
	mineBlock(t, a, "1.QmCommon")
	waitSameTip(t, a, b)
	return forkNet{a, b}
}

func (f forkNet) split(t *testing.T) {
	t.Helper()
	if err := f.b.Disconnect(context.Background(), f.a.PeerAddr()); err != nil {
		t.Fatal(err)
	}
	waitPeers(t, f.a, 0)
}

// join reconnects the nodes and waits until A has reorganized onto the longer branch.
func (f forkNet) join(t *testing.T) testnet.Tip {
	t.Helper()
	if err := f.b.Connect(context.Background(), f.a.PeerAddr()); err != nil {
		t.Fatal(err)
	}
	return waitSameTip(t, f.a, f.b)
}

// chainTx is an ION transaction found on a node's best chain without the watcher.
type chainTx struct {
	Number uint64
	TxID   string
	Anchor string
}

func (c chainTx) String() string { return fmt.Sprintf("%d %s %s", c.Number, c.Anchor, c.TxID[:8]) }

func txsOf(txs []anchor.Transaction) []chainTx {
	out := make([]chainTx, len(txs))
	for i, tx := range txs {
		out[i] = chainTx{tx.Number, tx.TxID, tx.AnchorString}
	}
	return out
}

// chainAnchors lists the ION transactions of n's best chain above height from: the non-coinbase
// transactions whose first OP_RETURN output carries "ion:" data, numbered height×1,000,000 + index.
// It decodes only the scripts the tests write (one direct push), independently of the watcher.
func chainAnchors(t *testing.T, n *testnet.Node, from int64) []chainTx {
	t.Helper()
	tip, err := n.Tip(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []chainTx
	for h := from + 1; h <= tip.Height; h++ {
		hash, err := n.Client().GetBlockHash(h)
		if err != nil {
			t.Fatal(err)
		}
		block, err := n.Client().GetBlock(hash)
		if err != nil {
			t.Fatal(err)
		}
		for i, tx := range block.Transactions[1:] {
			for _, o := range tx.TxOut {
				s := o.PkScript
				if len(s) < 2 || s[0] != txscript.OP_RETURN {
					continue
				}
				if data := string(s[2:]); int(s[1]) == len(data) && strings.HasPrefix(data, anchor.Prefix) {
					out = append(out, chainTx{uint64(h)*1_000_000 + uint64(i+1), tx.TxHash().String(), strings.TrimPrefix(data, anchor.Prefix)})
				}
				break
			}
		}
	}
	return out
}

// TestWatcherFork forks the chain with two btcd nodes (a competing branch, not invalidateblock): the
// watcher follows A, which mines a 4-block branch with anchors; B mines a 6-block branch with other
// anchors; on reconnection A switches to B's branch. The watcher must report one Reorg whose revert
// point removes exactly A's branch transactions, then B's blocks with B's transactions in order, and
// nothing else.
//
// "between polls": the watcher has read all of A's branch before the switch. "mid-scan": the switch
// happens while the watcher is emitting A's first branch block, with the rest of A's branch still to
// be read: with batched hash lookups those hashes are A's (already looked up), so the watcher reads
// A's now stale blocks and reverts them at the next poll; with a lookup per height it meets B's
// block, whose parent is not the cursor's, and restarts the poll from the fork.
func TestWatcherFork(t *testing.T) {
	for _, tc := range []struct {
		name      string
		midScan   bool
		perHeight bool // the chain has no batched hash lookup: each block's hash is read when fetched
		// extra empty blocks at the end of both branches: with one fetcher, the blocks beyond its
		// read-ahead window are looked up after the switch.
		extra int64
	}{
		{"between polls", false, false, 0},
		{"mid-scan", true, false, 0},
		{"mid-scan, hash per height", true, true, 6},
	} {
		midScan := tc.midScan
		t.Run(tc.name, func(t *testing.T) {
			f := startForkNet(t)
			var chain anchor.Chain = dial(t, f.a)
			if tc.perHeight {
				chain = struct{ anchor.Chain }{chain} // hides RPC.GetBlockHashes
			}
			w := &anchor.Watcher{Chain: chain, Genesis: anchor.RegtestGenesis}
			if tc.perHeight {
				w.Fetchers = 1
			}
			var r recorder
			r.poll(t, w)
			forkHeight := r.cursor.Height
			if got, want := txsOf(r.txs), chainAnchors(t, f.a, 0); !slices.Equal(got, want) || len(want) != 1 {
				t.Fatalf("before the fork the watcher has %v, the chain %v", got, want)
			}
			common := slices.Clone(r.txs)

			f.split(t)
			mineBlock(t, f.a, "1.QmA1")
			mineBlock(t, f.a, "2.QmA2a", "2.QmA2b")
			mineBlock(t, f.a)
			mineBlock(t, f.a, "3.QmA3")
			for range tc.extra {
				mineBlock(t, f.a)
			}
			branchA := chainAnchors(t, f.a, forkHeight)
			mineBlock(t, f.b, "1.QmB1")
			mineBlock(t, f.b)
			mineBlock(t, f.b, "2.QmB2a", "2.QmB2b")
			mineBlock(t, f.b, "3.QmB3")
			mineBlock(t, f.b, "4.QmB4")
			mineBlock(t, f.b)
			for range tc.extra {
				mineBlock(t, f.b)
			}
			branchB := chainAnchors(t, f.b, forkHeight)
			if len(branchA) != 4 || len(branchB) != 5 {
				t.Fatalf("branches: A %v, B %v", branchA, branchB)
			}

			var seenA []anchor.Transaction // A's branch transactions the watcher reported
			if !midScan {
				r.poll(t, w)
				seenA = slices.Clone(r.txs[len(common):])
				f.join(t)
			}
			first := len(r.events)
			joined := false
			emit := func(ctx context.Context, ev anchor.Event, next anchor.Cursor) error {
				if b, ok := ev.(*anchor.Block); ok && midScan && !joined {
					joined = true
					if b.Height != forkHeight+1 {
						t.Fatalf("mid-scan: first block read is %d, want %d", b.Height, forkHeight+1)
					}
					f.join(t)
				}
				if b, ok := ev.(*anchor.Block); ok && len(r.events) >= first && !slices.ContainsFunc(r.events[first:], isReorg) {
					seenA = append(seenA, b.Transactions...)
				}
				return r.emit(ctx, ev, next)
			}
			// Poll as Run does until the watcher has caught up with A's tip.
			tip := testnet.Tip{Height: -1} // in mid-scan the nodes join during the first poll
			if !midScan {
				tip = waitSameTip(t, f.a, f.b)
			}
			for range 5 {
				c, err := w.Poll(context.Background(), r.cursor, emit)
				if err != nil {
					t.Logf("poll: %v (retried)", err)
				}
				r.cursor = c
				if tip.Height < 0 {
					tip = waitSameTip(t, f.a, f.b)
				}
				if r.cursor.Height == tip.Height && r.cursor.Hashes[len(r.cursor.Hashes)-1] == tip.Hash {
					break
				}
			}
			if tip.Height != forkHeight+6+tc.extra {
				t.Fatalf("joined tip %+v, want B's at %d", tip, forkHeight+6+tc.extra)
			}

			// Events after the split: [A's blocks not yet read], exactly one Reorg, B's blocks.
			events := r.events[first:]
			t.Logf("events after the split: %v", eventKinds(events))
			at := slices.IndexFunc(events, isReorg)
			if at < 0 || slices.ContainsFunc(events[at+1:], isReorg) {
				t.Fatalf("want exactly one Reorg among %d events: %v", len(events), eventKinds(events))
			}
			reorg := events[at].(*anchor.Reorg)
			if reorg.ForkHeight != forkHeight || reorg.RevertAfterTransactionNumber != anchor.LastTransactionNumberOfBlock(uint64(forkHeight)) {
				t.Fatalf("reorg %+v, fork at %d", reorg, forkHeight)
			}
			// Reverted: exactly the A-branch transactions reported (all of A's branch between polls;
			// in mid-scan at least the first block's), kept: exactly the common ones.
			if got := txsOf(seenA); len(got) == 0 || len(got) > len(branchA) || !slices.Equal(got, branchA[:len(got)]) || (!midScan && len(got) != len(branchA)) {
				t.Fatalf("A-branch transactions reported %v, A's branch %v", got, branchA)
			}
			for _, tx := range seenA {
				if tx.Number <= reorg.RevertAfterTransactionNumber {
					t.Errorf("A-branch transaction %d (%s) survives the revert point %d", tx.Number, tx.AnchorString, reorg.RevertAfterTransactionNumber)
				}
			}
			for _, tx := range common {
				if tx.Number > reorg.RevertAfterTransactionNumber {
					t.Errorf("common transaction %d (%s) reverted", tx.Number, tx.AnchorString)
				}
			}
			// Then B's branch: every block in order, carrying B's transactions, nothing else.
			var heights []int64
			var gotB []anchor.Transaction
			for _, ev := range events[at+1:] {
				b, ok := ev.(*anchor.Block)
				if !ok {
					t.Fatalf("event %T after the reorg", ev)
				}
				hash, err := f.b.Client().GetBlockHash(b.Height)
				if err != nil || *hash != b.Hash {
					t.Fatalf("block %d %s is not B's %v (%v)", b.Height, b.Hash, hash, err)
				}
				heights = append(heights, b.Height)
				gotB = append(gotB, b.Transactions...)
			}
			var want []int64
			for h := forkHeight + 1; h <= tip.Height; h++ {
				want = append(want, h)
			}
			if !slices.Equal(heights, want) {
				t.Fatalf("B's blocks reported at heights %v, want %v", heights, want)
			}
			if got := txsOf(gotB); !slices.Equal(got, branchB) {
				t.Fatalf("B's branch reported as %v, want %v", got, branchB)
			}
			// What a store keeps is exactly the winning chain's ION transactions.
			if got, want := txsOf(r.txs), chainAnchors(t, f.a, 0); !slices.Equal(got, want) {
				t.Fatalf("after the reorg the watcher kept %v, the chain has %v", got, want)
			}
			n := len(r.events)
			r.poll(t, w)
			if len(r.events) != n {
				t.Fatalf("a poll on an unchanged chain emitted %v", eventKinds(r.events[n:]))
			}
		})
	}
}

func isReorg(ev anchor.Event) bool { _, ok := ev.(*anchor.Reorg); return ok }

func eventKinds(events []anchor.Event) []string {
	var out []string
	for _, ev := range events {
		switch e := ev.(type) {
		case *anchor.Block:
			out = append(out, fmt.Sprintf("block %d (%d txs)", e.Height, len(e.Transactions)))
		case *anchor.Reorg:
			out = append(out, fmt.Sprintf("reorg to %d", e.ForkHeight))
		default:
			out = append(out, fmt.Sprintf("%T", ev))
		}
	}
	return out
}

// TestWriterAfterFork: two anchors the writer confirmed in successive blocks of A's branch go back to
// the mempool when B's longer branch wins, and are mined again together in one block. ION counts one
// transaction per writer and block, so the writer must report the second as failed (its anchor to be
// written again) and not find it by its anchor string; written again, it confirms in its own block.
func TestWriterAfterFork(t *testing.T) {
	ctx := context.Background()
	f := startForkNet(t)
	rpc := dial(t, f.a)
	key, err := anchor.GenerateKey(testnet.Params)
	if err != nil {
		t.Fatal(err)
	}
	w := newWriter(rpc, key, &wallettest.MemStore{})
	cf := &chainFollower{w: &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis}, writer: w}
	if _, err := f.a.Fund(ctx, key.Address(), btcutil.Amount(btcutil.SatoshiPerBitcoin)); err != nil {
		t.Fatal(err)
	}
	mineBlock(t, f.a)
	waitSameTip(t, f.a, f.b)
	cf.poll(t)

	f.split(t)
	first, _, err := w.Anchor(ctx, "1.QmFirst", 1000)
	if err != nil {
		t.Fatal(err)
	}
	mineBlock(t, f.a)
	cf.poll(t)
	second, _, err := w.Anchor(ctx, "1.QmSecond", 1000)
	if err != nil {
		t.Fatal(err)
	}
	mineBlock(t, f.a)
	cf.poll(t)
	if c1, err1 := w.Confirmations(ctx, first); c1 != 2 || err1 != nil {
		t.Fatalf("first on A's branch: %d %v", c1, err1)
	}
	if c2, err2 := w.Confirmations(ctx, second); c2 != 1 || err2 != nil {
		t.Fatalf("second on A's branch: %d %v", c2, err2)
	}
	for range 4 {
		mineBlock(t, f.b)
	}
	f.join(t)
	cf.poll(t) // Reorg, B's blocks
	// Back in the mempool, not stuck: Maintain does not bump the second although the new tip is 4
	// blocks above the fork (BumpAfterBlocks 3).
	if txid, ok, err := w.Lookup(ctx, "1.QmSecond"); !ok || err != nil || txid != second {
		t.Fatalf("second after the switch: Lookup = %s %v %v, want it unreplaced %s", txid, ok, err, second)
	}
	for _, txid := range []string{first, second} {
		if c, err := w.Confirmations(ctx, txid); c != 0 || err != nil {
			t.Fatalf("%s after the switch: %d %v, want back in the mempool", txid, c, err)
		}
	}

	mineBlock(t, f.a) // both, chained, in one block
	cf.poll(t)
	if c, err := w.Confirmations(ctx, first); c != 1 || err != nil {
		t.Fatalf("first mined again: %d %v", c, err)
	}
	if c, err := w.Confirmations(ctx, second); !errors.Is(err, anchor.ErrTxFailed) {
		t.Fatalf("second mined in the same block: %d %v, want ErrTxFailed", c, err)
	}
	if txid, ok, err := w.Lookup(ctx, "1.QmSecond"); ok || err != nil {
		t.Fatalf("Lookup finds the uncounted anchor: %s %v", txid, err)
	}
	again, _, err := w.Anchor(ctx, "1.QmSecond", 1000)
	if err != nil {
		t.Fatal(err)
	}
	mineBlock(t, f.a)
	cf.poll(t)
	if c, err := w.Confirmations(ctx, again); c != 1 || err != nil {
		t.Fatalf("second written again: %d %v", c, err)
	}
	if txid, ok, err := w.Lookup(ctx, "1.QmSecond"); !ok || err != nil || txid != again {
		t.Fatalf("Lookup = %s %v %v, want %s", txid, ok, err, again)
	}
}
