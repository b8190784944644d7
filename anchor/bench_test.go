package anchor_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/testnet"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkWatcherScan measures how fast the watcher reads filled regtest blocks from a local btcd:
// ANCHOR_BENCH_BLOCKS blocks (default 100), each with ANCHOR_BENCH_TXS transactions (default 200) of
// ANCHOR_BENCH_OUTPUTS P2PKH outputs (default 20) plus one ION anchor whose fee the watcher computes
// from its inputs. Building the chain takes a while; run it once:
//
//	go test -run '^$' -bench WatcherScan -benchtime 3x ./anchor/
func BenchmarkWatcherScan(b *testing.B) {
	blocks, txsPerBlock, outsPerTx := envInt("ANCHOR_BENCH_BLOCKS", 100), envInt("ANCHOR_BENCH_TXS", 200), envInt("ANCHOR_BENCH_OUTPUTS", 20)
	ctx := context.Background()
	n, err := testnet.Start(ctx, testnet.Config{ExtraArgs: []string{"--blockmaxweight=3996000"}})
	if err != nil {
		b.Fatal(err)
	}
	defer n.Stop()
	rpc, err := anchor.DialRPC(n.RPCConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer rpc.Close()
	key, err := anchor.GenerateKey(testnet.Params)
	if err != nil {
		b.Fatal(err)
	}
	keyAddr, _ := address.DecodeAddress(key.Address(), testnet.Params)
	keyScript, _ := txscript.PayToAddrScript(keyAddr)
	priv, err := btcutil.DecodeWIF(must(key.WIF()))
	if err != nil {
		b.Fatal(err)
	}

	// Fan out: one output of the key per filler transaction, 1,000 per funding transaction.
	const perCoin = 200_000
	var coins []wire.OutPoint
	for len(coins) < blocks*txsPerBlock {
		k := min(1000, blocks*txsPerBlock-len(coins))
		outs := make([]*wire.TxOut, k)
		for i := range outs {
			outs[i] = wire.NewTxOut(perCoin, keyScript)
		}
		op, err := n.Send(ctx, outs)
		if err != nil {
			b.Fatal(err)
		}
		for i := range k {
			coins = append(coins, wire.OutPoint{Hash: op.Hash, Index: uint32(i)})
		}
	}
	if _, err := n.Generate(ctx, 1); err != nil {
		b.Fatal(err)
	}
	first, _ := rpc.GetBlockCount(ctx)
	first++
	built := time.Now()
	var totalBytes, totalTxs int
	for blk := range blocks {
		for t := range txsPerBlock {
			c := coins[blk*txsPerBlock+t]
			tx := wire.NewMsgTx(2)
			tx.AddTxIn(wire.NewTxIn(&c, nil, nil))
			value := (perCoin - int64(200+34*outsPerTx)*2) / int64(outsPerTx)
			for range outsPerTx {
				tx.AddTxOut(wire.NewTxOut(value, keyScript))
			}
			if t == 0 {
				s, _ := anchor.AnchorScript(anchor.Prefix, fmt.Sprintf("%d.QmBench%d", blk+1, blk))
				tx.AddTxOut(wire.NewTxOut(0, s))
			}
			sig, err := txscript.SignatureScript(tx, 0, keyScript, txscript.SigHashAll, priv.PrivKey, true)
			if err != nil {
				b.Fatal(err)
			}
			tx.TxIn[0].SignatureScript = sig
			if _, err := rpc.SendRawTransaction(ctx, tx); err != nil {
				b.Fatal(err)
			}
		}
		hashes, err := n.Generate(ctx, 1)
		if err != nil {
			b.Fatal(err)
		}
		mb, err := rpc.GetBlock(ctx, *hashes[0])
		if err != nil {
			b.Fatal(err)
		}
		if len(mb.Transactions) < txsPerBlock+1 {
			b.Fatalf("block has %d transactions, want %d", len(mb.Transactions), txsPerBlock+1)
		}
		totalBytes += mb.SerializeSize()
		totalTxs += len(mb.Transactions)
	}
	b.Logf("built %d blocks of %.0f transactions (%.0f KB each) in %v", blocks, float64(totalTxs)/float64(blocks),
		float64(totalBytes)/float64(blocks)/1000, time.Since(built).Round(time.Second))

	b.ResetTimer()
	start := time.Now()
	for range b.N {
		w := &anchor.Watcher{Chain: rpc, Genesis: first}
		var got, ion int
		_, err := w.Poll(ctx, anchor.Cursor{}, func(_ context.Context, ev anchor.Event, _ anchor.Cursor) error {
			if blk, ok := ev.(*anchor.Block); ok {
				got++
				ion += len(blk.Transactions)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if got != blocks || ion != blocks {
			b.Fatalf("scanned %d blocks with %d ION transactions, want %d", got, ion, blocks)
		}
	}
	elapsed := time.Since(start).Seconds()
	b.ReportMetric(float64(blocks*b.N)/elapsed, "blocks/s")
	b.ReportMetric(float64(totalTxs*b.N)/elapsed, "txs/s")
	b.ReportMetric(float64(totalBytes*b.N)/elapsed/1e6, "MB/s")
	var _ chainhash.Hash
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
