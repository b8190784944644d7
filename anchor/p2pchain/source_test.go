package p2pchain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/internal/wallettest"
	"github.com/ionode/ionode/testnet"
)

func testParams() *chaincfg.Params { return testnet.Params }

func testLogger() *slog.Logger {
	if os.Getenv("P2PCHAIN_DEBUG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func startBtcd(t *testing.T, cfg testnet.Config) *testnet.Node {
	t.Helper()
	cfg.ListenPeer = true
	return testnet.StartTest(t, cfg)
}

func startSource(t *testing.T, cfg Config) *Source {
	t.Helper()
	cfg.Params = testParams()
	if cfg.Logger == nil {
		cfg.Logger = testLogger()
	}
	s, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.WaitSynced(ctx, len(cfg.Peers)); err != nil {
		t.Fatal(err)
	}
	return s
}

// anchorTx puts an ION anchor on the node's chain (paid by the harness key: a P2PKH writer).
func anchorTx(t *testing.T, ctx context.Context, n *testnet.Node, anchorString string) {
	t.Helper()
	s, err := txscript.NullDataScript([]byte("ion:" + anchorString))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Send(ctx, []*wire.TxOut{wire.NewTxOut(0, s)}); err != nil {
		t.Fatal(err)
	}
}

// recorder keeps what a store would: the events, the cursor and the surviving transactions.
type recorder struct {
	events []anchor.Event
	cursor anchor.Cursor
	txs    []anchor.Transaction
}

func (r *recorder) emit(_ context.Context, ev anchor.Event, next anchor.Cursor) error {
	switch e := ev.(type) {
	case *anchor.Block:
		c := *e
		c.Raw = nil
		ev = &c
		r.txs = append(r.txs, e.Transactions...)
	case *anchor.Reorg:
		kept := r.txs[:0]
		for _, tx := range r.txs {
			if tx.Number <= e.RevertAfterTransactionNumber {
				kept = append(kept, tx)
			}
		}
		r.txs = kept
	}
	r.events = append(r.events, ev)
	r.cursor = next
	return nil
}

func (r *recorder) poll(t *testing.T, ctx context.Context, w *anchor.Watcher) {
	t.Helper()
	cur, err := w.Poll(ctx, r.cursor, r.emit)
	if err != nil {
		t.Fatal(err)
	}
	r.cursor = cur
}

func anchorsOf(txs []anchor.Transaction) []string {
	var out []string
	for _, tx := range txs {
		out = append(out, tx.AnchorString)
	}
	return out
}

// waitTip waits until the source's best header is the node's tip.
func waitTip(t *testing.T, ctx context.Context, s *Source, n *testnet.Node) testnet.Tip {
	t.Helper()
	for {
		want, err := n.Tip(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Headers().Tip(); got.Hash == want.Hash {
			return want
		}
		select {
		case <-ctx.Done():
			t.Fatalf("source tip %d, node tip %d %s", s.Headers().Tip().Height, want.Height, want.Hash)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestSourceRegtest runs the P2P source against btcd nodes as its only peers: it must read exactly
// what the RPC watcher reads, follow the heavier of two forks while a peer still serves the lighter
// one, and survive adversarial peers.
func TestSourceRegtest(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	a := startBtcd(t, testnet.Config{})
	b := startBtcd(t, testnet.Config{ConnectPeers: []string{a.PeerAddr()}})
	for i := range 3 {
		anchorTx(t, ctx, a, fmt.Sprintf("%d.QmP2PAnchor", i+1))
		if _, err := a.Generate(ctx, 2); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := testnet.WaitSameTip(ctx, a, b); err != nil {
		t.Fatal(err)
	}
	rpc, err := anchor.DialRPC(a.RPCConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer rpc.Close()
	var want recorder // the reference: the same watcher over btcd's RPC
	want.poll(t, ctx, &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis})
	if len(want.txs) != 3 {
		t.Fatalf("RPC watcher found %d ION transactions, want 3", len(want.txs))
	}

	src := startSource(t, Config{Peers: []string{a.PeerAddr(), b.PeerAddr()}})

	var got recorder
	t.Run("sync from genesis without RPC", func(t *testing.T) {
		got.poll(t, ctx, &anchor.Watcher{Chain: src, Genesis: anchor.RegtestGenesis, Fetchers: 4})
		if !reflect.DeepEqual(got.events, want.events) {
			t.Fatalf("P2P events differ from RPC's: %d vs %d events, transactions %v vs %v",
				len(got.events), len(want.events), anchorsOf(got.txs), anchorsOf(want.txs))
		}
		st := src.Status()
		if len(st.Peers) != 2 || st.HeaderHeight != got.cursor.Height || st.BlockHeight != st.HeaderHeight || st.Lag != 0 {
			t.Fatalf("status %+v", st)
		}
	})

	blocks := make([]*wire.MsgBlock, 0, want.cursor.Height+1)
	for h := int64(0); h <= want.cursor.Height; h++ {
		hash, err := rpc.GetBlockHash(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		blk, err := rpc.GetBlock(ctx, hash)
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, blk)
	}
	adversaries := []struct {
		name    string
		mode    misbehaviour
		kind    string
		timeout time.Duration
	}{
		{"block not matching its Merkle root: banned, fetched elsewhere", tamper, KindInvalidBlock, 0},
		{"stalling peer: replaced", stall, KindStall, 2 * time.Second},
		{"announced blocks withheld: detected", withhold, KindWithholding, 0},
	}
	for _, adv := range adversaries {
		t.Run(adv.name, func(t *testing.T) {
			fake := startFakePeer(t, blocks, adv.mode)
			s := startSource(t, Config{Peers: []string{fake.addr(), a.PeerAddr()}, BlockTimeout: adv.timeout})
			var r recorder
			r.poll(t, ctx, &anchor.Watcher{Chain: s, Genesis: anchor.RegtestGenesis, Fetchers: 8})
			if !reflect.DeepEqual(r.events, want.events) {
				t.Fatalf("events differ from RPC's: transactions %v", anchorsOf(r.txs))
			}
			if fake.requested() == 0 {
				t.Fatal("the adversary was never asked for a block")
			}
			var kinds []string
			for _, ev := range s.Events() {
				if ev.Addr == fake.addr() {
					kinds = append(kinds, ev.Kind)
				}
			}
			if len(kinds) == 0 || kinds[0] != adv.kind {
				t.Fatalf("adversary events %v, want %s", kinds, adv.kind)
			}
			for _, p := range s.Status().Peers {
				if p.Addr == fake.addr() {
					t.Fatal("the adversary is still connected")
				}
			}
		})
	}

	t.Run("header without its proof of work: banned", func(t *testing.T) {
		fake := startFakePeer(t, blocks, badPoW)
		s, err := Start(ctx, Config{Params: testParams(), Peers: []string{fake.addr(), a.PeerAddr()}, Logger: testLogger()})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		deadline := time.Now().Add(time.Minute)
		for {
			evs := s.Events()
			if len(evs) > 0 {
				if evs[0].Addr != fake.addr() || evs[0].Kind != KindInvalidHeader {
					t.Fatalf("events %+v", evs)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the peer sending a header without proof of work was not banned")
			}
			time.Sleep(20 * time.Millisecond)
		}
		waitTip(t, ctx, s, a) // the honest peer's chain, the bad header's valid ancestors included
	})

	t.Run("a writer anchors through P2P alone", func(t *testing.T) {
		key, err := anchor.GenerateKey(testParams())
		if err != nil {
			t.Fatal(err)
		}
		wr := &anchor.Writer{Chain: src, Key: key, Store: &wallettest.MemStore{}, FeeMarkupPercent: 1, Logger: testLogger()}
		var rec recorder
		w := &anchor.Watcher{Chain: src, Genesis: anchor.RegtestGenesis, Fetchers: 4}
		follow := func() {
			t.Helper()
			waitTip(t, ctx, src, a)
			cur, err := w.Poll(ctx, rec.cursor, func(ctx context.Context, ev anchor.Event, next anchor.Cursor) error {
				if b, ok := ev.(*anchor.Block); ok {
					if err := wr.ApplyBlock(ctx, b); err != nil {
						return err
					}
				}
				return rec.emit(ctx, ev, next)
			})
			if err != nil {
				t.Fatal(err)
			}
			rec.cursor = cur
		}
		if _, err := a.Fund(ctx, key.Address(), btcutil.Amount(btcutil.SatoshiPerBitcoin)); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Generate(ctx, 1); err != nil {
			t.Fatal(err)
		}
		follow()
		if bal, err := wr.Balance(ctx); err != nil || bal != btcutil.SatoshiPerBitcoin {
			t.Fatalf("balance %d (%v) learnt from the scanned blocks", bal, err)
		}
		txid, _, err := wr.Anchor(ctx, "1.QmWrittenOverP2P", 1000)
		if err != nil {
			t.Fatal(err)
		}
		hash, _ := chainhash.NewHashFromStr(txid)
		if st, err := src.TransactionStatus(ctx, *hash); err != nil || !st.Found || st.Confirmations != 0 {
			t.Fatalf("status after broadcast %+v, %v", st, err)
		}
		// btcd's own mempool has it: the tx message reached an independent node.
		inMempool := func() bool {
			pool, err := a.Client().GetRawMempool()
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range pool {
				if *h == *hash {
					return true
				}
			}
			return false
		}
		for deadline := time.Now().Add(time.Minute); !inMempool(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the broadcast transaction never reached btcd's mempool")
			}
		}
		if _, err := a.Generate(ctx, 1); err != nil {
			t.Fatal(err)
		}
		follow()
		last := rec.txs[len(rec.txs)-1]
		if last.TxID != txid || last.AnchorString != "1.QmWrittenOverP2P" || last.Writer != key.WriterID() {
			t.Fatalf("last ION transaction %+v", last)
		}
		if st, err := src.TransactionStatus(ctx, *hash); err != nil || st.Confirmations != 1 {
			t.Fatalf("status after a block %+v, %v", st, err)
		}

		// A transaction spending the writer's change with a script that does not unlock it: btcd
		// rejects it, and the rejection is reported.
		paid, err := src.GetRawTransaction(ctx, *hash)
		if err != nil {
			t.Fatal(err)
		}
		change := uint32(len(paid.TxOut) - 1)
		bad := wire.NewMsgTx(2)
		bad.AddTxIn(wire.NewTxIn(&wire.OutPoint{Hash: *hash, Index: change}, []byte{txscript.OP_TRUE}, nil))
		bad.AddTxOut(wire.NewTxOut(paid.TxOut[change].Value-10_000, paid.TxOut[change].PkScript))
		if _, err := src.SendRawTransaction(ctx, bad); !errors.Is(err, ErrRejected) {
			t.Fatalf("broadcast of an invalid transaction: %v", err)
		}
	})

	t.Run("reorg to the heavier fork, the lighter one not followed", func(t *testing.T) {
		if err := b.Disconnect(ctx, a.PeerAddr()); err != nil {
			t.Fatal(err)
		}
		anchorTx(t, ctx, a, "9.QmLostInReorg")
		if _, err := a.Generate(ctx, 1); err != nil {
			t.Fatal(err)
		}
		waitTip(t, ctx, src, a)
		w := &anchor.Watcher{Chain: src, Genesis: anchor.RegtestGenesis, Fetchers: 4}
		got.poll(t, ctx, w)
		kept := len(got.txs) - 1 // the writer's anchor is in the chain too
		if got.txs[kept].AnchorString != "9.QmLostInReorg" {
			t.Fatalf("before the reorg: %v", anchorsOf(got.txs))
		}
		if _, err := b.Generate(ctx, 3); err != nil {
			t.Fatal(err)
		}
		heavy := waitTip(t, ctx, src, b)
		// A keeps serving its lighter branch, one block longer now: still lighter, not followed.
		if _, err := a.Generate(ctx, 1); err != nil {
			t.Fatal(err)
		}
		lightTip, _ := a.Tip(ctx)
		// The header arrives when A announces it: wait for that (the deadline only stops a hang), then
		// check it was kept aside.
		deadline := time.Now().Add(time.Minute)
		for time.Now().Before(deadline) {
			if _, _, _, known := src.Headers().Lookup(lightTip.Hash); known {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if _, _, best, known := src.Headers().Lookup(lightTip.Hash); !known || best {
			t.Fatalf("lighter branch tip known=%v best=%v", known, best)
		}
		if tip := src.Headers().Tip(); tip.Hash != heavy.Hash {
			t.Fatalf("tip %s, want the heavier branch's %s", tip.Hash, heavy.Hash)
		}
		n := len(got.events)
		got.poll(t, ctx, w)
		reorg, ok := got.events[n].(*anchor.Reorg)
		if !ok || reorg.ForkHeight != heavy.Height-3 {
			t.Fatalf("first event after the fork %#v, want a reorg to %d", got.events[n], heavy.Height-3)
		}
		if got.cursor.Height != heavy.Height || got.cursor.Hashes[len(got.cursor.Hashes)-1] != heavy.Hash {
			t.Fatalf("cursor at %d, want the heavier tip %d", got.cursor.Height, heavy.Height)
		}
		if len(got.txs) != kept {
			t.Fatalf("after the reorg: %v", anchorsOf(got.txs))
		}
	})
}
