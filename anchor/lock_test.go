package anchor_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/anchor/ionrules"
	"github.com/ionode/ionode/internal/wallettest"
	"github.com/ionode/ionode/testnet"
)

func TestValueTimeLockAndRelease(t *testing.T) {
	ctx := context.Background()
	n := startNode(t, testnet.Config{})
	rpc := dial(t, n)
	key, _ := anchor.GenerateKey(testnet.Params)
	writer := newWriter(rpc, key, &wallettest.MemStore{})
	f := &chainFollower{w: &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis}, writer: writer}
	if _, err := n.Fund(ctx, key.Address(), btcutil.Amount(btcutil.SatoshiPerBitcoin)); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)

	const amount, duration = 40_000_000, 20
	lock, err := writer.Lock(ctx, amount, duration)
	if err != nil {
		t.Fatal(err)
	}
	// The identifier names the transaction and a redeem script whose P2SH output 0 pays, as ION's
	// LockResolver checks.
	id, err := ionrules.ParseLockIdentifier(lock.Identifier)
	redeem := id.RedeemScript()
	if err != nil || id.TransactionID != lock.TxID || !bytes.Equal(redeem, lock.RedeemScript) {
		t.Fatalf("identifier %s: %+v %v", lock.Identifier, id, err)
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)
	h, _ := chainhash.NewHashFromStr(lock.TxID)
	tx, err := rpc.GetRawTransaction(ctx, *h)
	if err != nil {
		t.Fatal(err)
	}
	p2sh, _ := address.NewAddressScriptHash(redeem, testnet.Params)
	want, _ := txscript.PayToAddrScript(p2sh)
	if !bytes.Equal(tx.TxOut[0].PkScript, want) || tx.TxOut[0].Value != amount {
		t.Fatalf("lock output %x %d", tx.TxOut[0].PkScript, tx.TxOut[0].Value)
	}
	// The redeem script reads, in bitcore asm, "<duration hex> OP_NOP3 OP_DROP OP_DUP OP_HASH160 <pkh>
	// OP_EQUALVERIFY OP_CHECKSIG" (LockResolver.isRedeemScriptALockScript).
	if redeem[0] != 1 || redeem[1] != duration || redeem[2] != txscript.OP_CHECKSEQUENCEVERIFY {
		t.Fatalf("redeem script %x", redeem)
	}

	// Too early: the node refuses the release (BIP 68 sequence lock).
	if _, err := writer.ReleaseLock(ctx, lock); !errors.Is(err, anchor.ErrTxFailed) {
		t.Fatalf("early release: %v", err)
	}
	if _, err := n.Generate(ctx, duration-1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)
	before, _ := writer.Balance(ctx)
	releaseID, err := writer.ReleaseLock(ctx, lock)
	if err != nil {
		t.Fatalf("release after %d blocks: %v", duration, err)
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.poll(t)
	if c, err := writer.Confirmations(ctx, releaseID); err != nil || c != 1 {
		t.Fatalf("release confirmations %d %v", c, err)
	}
	after, _ := writer.Balance(ctx)
	if after <= before || after > before+amount {
		t.Fatalf("balance %d -> %d after releasing %d", before, after, amount)
	}
}
