package anchor_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/internal/wallettest"
	"github.com/ionode/ionode/testnet"
)

// chainFollower is the node's wiring in miniature: the watcher's events go to a recorder and to the
// writer, and the writer maintains its transactions after each poll.
type chainFollower struct {
	w      *anchor.Watcher
	writer *anchor.Writer
	rec    recorder
}

func (f *chainFollower) poll(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	emit := func(ctx context.Context, ev anchor.Event, next anchor.Cursor) error {
		switch e := ev.(type) {
		case *anchor.Block:
			if err := f.writer.ApplyBlock(ctx, e); err != nil {
				return err
			}
		case *anchor.Reorg:
			if err := f.writer.Revert(ctx, e.ForkHeight); err != nil {
				return err
			}
		}
		return f.rec.emit(ctx, ev, next)
	}
	c, err := f.w.Poll(ctx, f.rec.cursor, emit)
	if err != nil {
		t.Fatal(err)
	}
	f.rec.cursor = c
	if err := f.writer.Maintain(ctx); err != nil {
		t.Fatal(err)
	}
}

func newWriter(rpc *anchor.RPC, key *anchor.Key, store anchor.WalletStore) *anchor.Writer {
	return &anchor.Writer{Chain: rpc, Key: key, Store: store, FeeMarkupPercent: 1, Logger: slog.New(slog.DiscardHandler)}
}

func TestKeyNeverPrintsSecret(t *testing.T) {
	key, err := anchor.GenerateKey(testnet.Params)
	if err != nil {
		t.Fatal(err)
	}
	wif, _ := key.WIF()
	var logs strings.Builder
	slog.New(slog.NewTextHandler(&logs, nil)).Info("key", "key", key)
	for _, s := range []string{key.String(), fmt.Sprintf("%v %+v %#v %s", key, key, key, key), logs.String()} {
		if strings.Contains(s, wif) || !strings.Contains(s, key.Address()) {
			t.Fatalf("key rendering %q", s)
		}
	}
	again, err := anchor.ParseKey(wif, testnet.Params)
	if err != nil || again.Address() != key.Address() {
		t.Fatalf("WIF round trip: %v", err)
	}
	if _, err := anchor.ParseKey("not a key", testnet.Params); !errors.Is(err, anchor.ErrBadKey) {
		t.Fatalf("bad key: %v", err)
	}
	mainnetWIF := "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"
	if _, err := anchor.ParseKey(mainnetWIF, testnet.Params); !errors.Is(err, anchor.ErrBadKey) {
		t.Fatalf("mainnet WIF on regtest: %v", err)
	}
	hexKey := "0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d"
	k, err := anchor.ParseKey(hexKey, testnet.Params)
	if err != nil || strings.Contains(fmt.Sprintf("%#v", k), hexKey) {
		t.Fatalf("hex key: %v", err)
	}
}

// TestWriter200Anchors writes 200 anchors from one key, with unconfirmed change chained between blocks
// and a restart (a new Writer over the same store) in the middle, and reads them all back.
func TestWriter200Anchors(t *testing.T) {
	ctx := context.Background()
	n := startNode(t, testnet.Config{})
	rpc := dial(t, n)
	key, err := anchor.GenerateKey(testnet.Params)
	if err != nil {
		t.Fatal(err)
	}
	store := &wallettest.MemStore{}
	f := &chainFollower{
		w:      &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis},
		writer: newWriter(rpc, key, store),
	}
	if _, err := n.Fund(ctx, key.Address(), btcutil.Amount(btcutil.SatoshiPerBitcoin)); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)
	if bal, _ := f.writer.Balance(ctx); bal != btcutil.SatoshiPerBitcoin {
		t.Fatalf("balance %d after funding", bal)
	}

	const total = 200
	sent := map[string]string{} // txid -> anchor string
	index := map[string]int{}   // txid -> i
	for i := range total {
		if i == total/2 {
			// Restart: a new writer and watcher from the persisted store and cursor.
			f = &chainFollower{
				w:      &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis},
				writer: newWriter(rpc, key, store),
				rec:    recorder{cursor: f.rec.cursor, txs: f.rec.txs},
			}
		}
		a := fmt.Sprintf("%d.QmAnchor%03d", i+1, i)
		txid, fee, err := f.writer.Anchor(ctx, a, 1000)
		if err != nil {
			t.Fatalf("anchor %d: %v", i, err)
		}
		if fee < 1010 { // minimum fee plus ION's 1% markup
			t.Fatalf("fee %d below the minimum", fee)
		}
		if got, ok, err := f.writer.Lookup(ctx, a); err != nil || !ok || got != txid {
			t.Fatalf("Lookup(%s) = %s %v %v; want %s", a, got, ok, err, txid)
		}
		sent[txid], index[txid] = a, i
		if i%25 == 24 { // 25 transactions chained on unconfirmed change, then a block
			if _, err := n.Generate(ctx, 1); err != nil {
				t.Fatal(err)
			}
			f.poll(t)
		}
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)

	got := map[string]anchor.Transaction{}
	var last uint64
	for _, tx := range f.rec.txs {
		if tx.Number <= last {
			t.Fatalf("transaction numbers out of order: %d after %d", tx.Number, last)
		}
		last = tx.Number
		got[tx.TxID] = tx
	}
	if len(got) != total {
		t.Fatalf("watcher read %d anchors, wrote %d", len(got), total)
	}
	for txid, a := range sent {
		tx, ok := got[txid]
		if !ok || tx.AnchorString != a || tx.Writer != key.WriterID() {
			t.Fatalf("anchor %s: read %+v", a, tx)
		}
		// ION counts one transaction per writer and block: the first of each group of 25.
		c, err := f.writer.Confirmations(ctx, txid)
		if first := index[txid]%25 == 0; first && (err != nil || c < 1) {
			t.Fatalf("confirmations of %s, first of its block: %d %v", txid, c, err)
		} else if !first && !errors.Is(err, anchor.ErrTxFailed) {
			t.Fatalf("confirmations of %s, anchor %d of its block: %d %v; want ErrTxFailed (uncounted)", txid, index[txid]%25, c, err)
		}
		h, _ := chainhash.NewHashFromStr(txid)
		if st, _ := rpc.TransactionStatus(ctx, *h); st.Confirmations < 1 {
			t.Fatalf("%s not confirmed", txid)
		}
	}
	// Every output was spent at most once: the chain accepted all 200, and the wallet's books balance.
	bal, err := f.writer.Balance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var fees int64
	for _, tx := range got {
		fees += int64(tx.FeePaid)
	}
	if bal != btcutil.SatoshiPerBitcoin-fees {
		t.Fatalf("balance %d, want 1 BTC - fees %d = %d", bal, fees, btcutil.SatoshiPerBitcoin-fees)
	}
}

func TestWriterInsufficientFunds(t *testing.T) {
	n := startNode(t, testnet.Config{})
	rpc := dial(t, n)
	key, _ := anchor.GenerateKey(testnet.Params)
	w := newWriter(rpc, key, &wallettest.MemStore{})
	if _, _, err := w.Anchor(context.Background(), "1.QmX", 1000); !errors.Is(err, anchor.ErrInsufficientFunds) {
		t.Fatalf("unfunded anchor: %v", err)
	}
	if _, _, err := w.Anchor(context.Background(), strings.Repeat("x", 77), 0); !errors.Is(err, anchor.ErrDataTooLarge) {
		t.Fatalf("oversize anchor: %v", err)
	}
}
