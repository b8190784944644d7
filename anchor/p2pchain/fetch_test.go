package p2pchain

import (
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// witnessBlock builds a block of a coinbase committing to its witnesses, and n spending transactions
// with witness data (pad more bytes of it each).
func witnessBlock(n, pad int) *wire.MsgBlock {
	cb := wire.NewMsgTx(2)
	cb.AddTxIn(wire.NewTxIn(&wire.OutPoint{Index: wire.MaxPrevOutIndex}, []byte{1, 2}, wire.TxWitness{make([]byte, 32)}))
	cb.AddTxOut(wire.NewTxOut(50e8, []byte{0x51}))
	msg := &wire.MsgBlock{Transactions: []*wire.MsgTx{cb}}
	for i := range n {
		tx := wire.NewMsgTx(2)
		tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{Hash: chainhash.Hash{byte(i + 1), byte(i >> 8)}}, nil, wire.TxWitness{{byte(i)}, make([]byte, 1+pad)}))
		tx.AddTxOut(wire.NewTxOut(int64(1000+i), []byte{0x51}))
		msg.Transactions = append(msg.Transactions, tx)
	}
	// The commitment: SHA256d(witness root ‖ the coinbase's 32-byte witness nonce).
	root := blockchain.CalcMerkleRoot(btcutil.NewBlock(msg).Transactions(), true)
	first := sha256.Sum256(append(root[:], make([]byte, 32)...))
	commitment := sha256.Sum256(first[:])
	cb.AddTxOut(wire.NewTxOut(0, append(append([]byte{}, blockchain.WitnessMagicBytes...), commitment[:]...)))
	msg.Header.MerkleRoot = blockchain.CalcMerkleRoot(btcutil.NewBlock(msg).Transactions(), false)
	return msg
}

func TestVerifyBlock(t *testing.T) {
	good := witnessBlock(2, 0)
	hash, root := good.BlockHash(), good.Header.MerkleRoot
	ids, err := verifyBlock(good, hash, root)
	if err != nil {
		t.Fatalf("a valid block: %v", err)
	}
	// The IDs it returns are what the transaction index keeps: each transaction's, in order.
	if len(ids) != len(good.Transactions) {
		t.Fatalf("%d IDs for %d transactions", len(ids), len(good.Transactions))
	}
	for i, tx := range good.Transactions {
		if ids[i] != tx.TxHash() {
			t.Fatalf("ID %d is %s, transaction's %s", i, ids[i], tx.TxHash())
		}
	}
	tests := []struct {
		name   string
		mutate func(b *wire.MsgBlock)
	}{
		{"a transaction changed", func(b *wire.MsgBlock) { b.Transactions[1].TxOut[0].Value++ }},
		{"a transaction dropped", func(b *wire.MsgBlock) { b.Transactions = b.Transactions[:2] }},
		// CVE-2012-2459: [cb a b] and [cb a b b] have the same Merkle root.
		{"the last transaction duplicated", func(b *wire.MsgBlock) { b.Transactions = append(b.Transactions, b.Transactions[2]) }},
		{"witness data changed", func(b *wire.MsgBlock) { b.Transactions[1].TxIn[0].Witness[0] = []byte{0xff} }},
		{"witness data stripped", func(b *wire.MsgBlock) {
			for _, tx := range b.Transactions {
				tx.TxIn[0].Witness = nil
			}
		}},
		{"no transactions", func(b *wire.MsgBlock) { b.Transactions = nil }},
		{"another block", func(b *wire.MsgBlock) { b.Header.Nonce++ }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := good.Copy()
			tt.mutate(b)
			if _, err := verifyBlock(b, hash, root); !errors.Is(err, errBadBlock) {
				t.Fatalf("got %v, want errBadBlock", err)
			}
		})
	}
}

// BenchmarkVerifyBlock checks a block of mainnet's size (2,500 transactions of ~560 bytes, 1.4 MB)
// against its header: the CPU the P2P source adds per block to the watcher's own reading.
func BenchmarkVerifyBlock(b *testing.B) {
	msg := witnessBlock(2500, 450)
	hash, root := msg.BlockHash(), msg.Header.MerkleRoot
	b.SetBytes(int64(msg.SerializeSize()))
	for range b.N {
		// A fresh copy each time (btcutil caches transaction hashes on the block it wraps), not timed.
		b.StopTimer()
		c := msg.Copy()
		b.StartTimer()
		if _, err := verifyBlock(c, hash, root); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "blocks/s")
}
