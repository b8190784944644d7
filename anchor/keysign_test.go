package anchor

import (
	"context"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// TestKeySignsLikeTxscript checks the signer path against btcd's own signing functions: both are RFC 6979
// deterministic, so the scripts and witnesses must be byte-identical, and btcd's script engine must
// accept them.
func TestKeySignsLikeTxscript(t *testing.T) {
	k, err := GenerateKey(&chaincfg.RegressionNetParams)
	if err != nil {
		t.Fatal(err)
	}
	tx := wire.NewMsgTx(2)
	prev := map[wire.OutPoint]*wire.TxOut{}
	for i, script := range k.scripts {
		op := wire.OutPoint{Hash: chainhash.Hash{byte(i + 1)}, Index: uint32(i)}
		tx.AddTxIn(wire.NewTxIn(&op, nil, nil))
		prev[op] = wire.NewTxOut(int64(10000*(i+1)), script)
	}
	tx.AddTxOut(wire.NewTxOut(5000, k.scripts[0]))
	fetcher := txscript.NewMultiPrevOutFetcher(prev)
	hashes := txscript.NewTxSigHashes(tx, fetcher)
	ctx := context.Background()

	p2pkh := prev[tx.TxIn[0].PreviousOutPoint]
	got, err := k.signatureScript(ctx, tx, 0, p2pkh.PkScript)
	if err != nil {
		t.Fatal(err)
	}
	want, err := txscript.SignatureScript(tx, 0, p2pkh.PkScript, txscript.SigHashAll, k.priv, true)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("P2PKH script\n got %x\nwant %x", got, want)
	}
	tx.TxIn[0].SignatureScript = got

	p2wpkh := prev[tx.TxIn[1].PreviousOutPoint]
	wit, err := k.witness(ctx, tx, hashes, 1, p2wpkh.Value, p2wpkh.PkScript)
	if err != nil {
		t.Fatal(err)
	}
	wantWit, err := txscript.WitnessSignature(tx, hashes, 1, p2wpkh.Value, p2wpkh.PkScript, txscript.SigHashAll, k.priv, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(wit) != 2 || string(wit[0]) != string(wantWit[0]) || string(wit[1]) != string(wantWit[1]) {
		t.Fatalf("P2WPKH witness\n got %x\nwant %x", wit, wantWit)
	}
	tx.TxIn[1].Witness = wit

	for i, in := range tx.TxIn {
		out := prev[in.PreviousOutPoint]
		vm, err := txscript.NewEngine(out.PkScript, tx, i, txscript.StandardVerifyFlags, nil, hashes, out.Value, fetcher)
		if err != nil {
			t.Fatal(err)
		}
		if err := vm.Execute(); err != nil {
			t.Fatalf("input %d: %v", i, err)
		}
	}
}
