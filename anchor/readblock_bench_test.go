package anchor

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/ionode/ionode/internal/cputime"
	"github.com/ionode/ionode/internal/mainnetblocks"
)

// BenchmarkReadBlock measures the watcher's own work on a block once it has it (no node involved):
// 200 transactions of 20 P2PKH outputs to random keys plus one ION anchor, like BenchmarkWatcherScan's
// blocks. Random keys matter: about 7.5% of P2PKH scripts contain the OP_RETURN byte 0x6a in their
// hash and take the asm path.
func BenchmarkReadBlock(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	randomScript := func() []byte {
		var h [20]byte
		for i := range h {
			h[i] = byte(rng.Uint32())
		}
		s, _ := txscript.NewScriptBuilder().AddOp(txscript.OP_DUP).AddOp(txscript.OP_HASH160).AddData(h[:]).
			AddOp(txscript.OP_EQUALVERIFY).AddOp(txscript.OP_CHECKSIG).Script()
		return s
	}
	sig := make([]byte, 107)
	sig[0], sig[73] = 72, 33 // <72-byte signature> <33-byte key>
	funding := wire.NewMsgTx(2)
	funding.AddTxOut(wire.NewTxOut(1e8, randomScript()))
	cache, _ := lru.New[chainhash.Hash, *wire.MsgTx](16)
	cache.Add(funding.TxHash(), funding)
	src := &txSource{cache: cache}

	msg := &wire.MsgBlock{}
	coinbase := wire.NewMsgTx(2)
	coinbase.AddTxIn(wire.NewTxIn(&wire.OutPoint{Index: wire.MaxPrevOutIndex}, []byte{1, 2}, nil))
	coinbase.AddTxOut(wire.NewTxOut(50e8, randomScript()))
	msg.AddTransaction(coinbase)
	for t := range 200 {
		tx := wire.NewMsgTx(2)
		tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{Hash: funding.TxHash()}, sig, nil))
		for range 20 {
			tx.AddTxOut(wire.NewTxOut(9000, randomScript()))
		}
		if t == 0 {
			s, _ := AnchorScript(Prefix, "1.QmBench")
			tx.AddTxOut(wire.NewTxOut(0, s))
		}
		msg.AddTransaction(tx)
	}
	b.SetBytes(int64(msg.SerializeSize()))
	log := slog.New(slog.DiscardHandler)
	for b.Loop() {
		blk, err := readBlock(context.Background(), src, Prefix, 1000, msg, log)
		if err != nil || len(blk.Transactions) != 1 {
			b.Fatalf("%v, %d transactions", err, len(blk.Transactions))
		}
	}
}

// BenchmarkReadBlockMainnet is the watcher's own work on a mainnet-shaped block (internal/mainnetblocks:
// ~3,000 transactions, ~1.5 MB, about twenty OP_RETURN outputs of which one is an ION anchor).
func BenchmarkReadBlockMainnet(b *testing.B) {
	chain, err := mainnetblocks.Build(mainnetblocks.Config{Seed: 1}, 1, mainnetblocks.DefaultCacheDir())
	if err != nil {
		b.Fatal(err)
	}
	msg := chain.Shaped[0]
	cache, _ := lru.New[chainhash.Hash, *wire.MsgTx](16)
	src := &txSource{cache: cache} // the anchor's spent output is in the block itself: no look-up
	b.SetBytes(int64(msg.SerializeSize()))
	log := slog.New(slog.DiscardHandler)
	cpu0 := cputime.Self()
	for b.Loop() {
		blk, err := readBlock(context.Background(), src, Prefix, int64(len(chain.Prepare)+1), msg, log)
		if err != nil || len(blk.Transactions) != 1 {
			b.Fatalf("%v, %d transactions", err, len(blk.Transactions))
		}
	}
	// CPU time besides wall time: on a shared machine the wall time counts other processes' turns.
	b.ReportMetric((cputime.Self()-cpu0).Seconds()*1e3/float64(b.N), "cpu-ms/op")
}
