//go:build cgo

package anchor_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/btcsuite/btcd/btcutil/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/internal/softhsmtest"
	"github.com/ionode/ionode/internal/wallettest"
	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/pkcs11"
	"github.com/ionode/ionode/testnet"
)

// TestWriterKeyInToken anchors on regtest with a writer key generated inside a SoftHSM2 token: btcd
// accepts the transactions (P2PKH and P2WPKH inputs signed by the token, DER, low S) and the watcher reads
// the anchors back under the token key's writer identity.
func TestWriterKeyInToken(t *testing.T) {
	ctx := context.Background()
	cfg := softhsmtest.Token(t, "ionode", "writer")
	tok, err := pkcs11.Generate(ctx, cfg, signer.ES256K)
	if err != nil {
		t.Fatal(err)
	}
	defer tok.Close()
	key, err := anchor.NewSignerKey(tok, testnet.Params)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := key.WIF(); !errors.Is(err, anchor.ErrNotExportable) {
		t.Fatalf("WIF of a token key: %v", err)
	}
	n := startNode(t, testnet.Config{})
	rpc := dial(t, n)
	f := &chainFollower{
		w:      &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis},
		writer: newWriter(rpc, key, &wallettest.MemStore{}),
	}
	// Fund both kinds of output, so that anchors spend a P2PKH input first and P2WPKH ones after it.
	for _, addr := range []string{key.Address(), key.SegwitAddress(), key.SegwitAddress()} {
		if _, err := n.Fund(ctx, addr, btcutil.Amount(btcutil.SatoshiPerBitcoin/1000)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)
	sent := map[string]string{}
	for i := range 2 {
		a := fmt.Sprintf("%d.QmTokenAnchor%d", i+1, i)
		// The second anchor pays more than the P2PKH output holds, so it needs the segwit ones too.
		pay := uint64(1000)
		if i == 1 {
			pay = btcutil.SatoshiPerBitcoin / 1000
		}
		txid, _, err := f.writer.Anchor(ctx, a, pay)
		if err != nil {
			t.Fatalf("anchor %d: %v", i, err)
		}
		sent[txid] = a
		if _, err := n.Generate(ctx, 1); err != nil {
			t.Fatal(err)
		}
		f.poll(t)
	}
	got := 0
	for _, tx := range f.rec.txs {
		if a, ok := sent[tx.TxID]; ok {
			if tx.AnchorString != a || tx.Writer != key.WriterID() {
				t.Fatalf("read %+v, wrote %s", tx, a)
			}
			got++
		}
	}
	if got != len(sent) {
		t.Fatalf("watcher read %d of %d anchors", got, len(sent))
	}
}
