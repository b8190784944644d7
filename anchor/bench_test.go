package anchor_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/rpcclient"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"golang.org/x/sync/errgroup"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/internal/cputime"
	"github.com/ionode/ionode/internal/scantest"
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
// from its inputs. The chain is built once, then read by each block source:
//
//   - rpcclient: JSON-RPC through a plain rpcclient (NewRPC): one request at a time, a new connection each;
//   - rpc: JSON-RPC through DialRPC (kept-alive concurrent requests, no JSON decoding of the block hex);
//   - p2p: blocks over btcd's P2P port (Watcher.Blocks = DialPeer), everything else by DialRPC;
//   - p2p-fetch-only: the same blocks over P2P without the watcher's parsing (btcd's serving speed).
//
// Besides rates it reports the CPU time per block of btcd (from /proc) and of this process.
//
// ANCHOR_BENCH_BTCD_ARGS adds btcd arguments (space separated), e.g. --profile=6061 to profile btcd
// while it serves. Building the chain takes a while; run it once:
//
//	go test -run '^$' -bench WatcherScan -benchtime 3x ./anchor/
func BenchmarkWatcherScan(b *testing.B) {
	blocks, txsPerBlock, outsPerTx := envInt("ANCHOR_BENCH_BLOCKS", 100), envInt("ANCHOR_BENCH_TXS", 200), envInt("ANCHOR_BENCH_OUTPUTS", 20)
	ctx := context.Background()
	n, err := testnet.Start(ctx, testnet.Config{ListenPeer: true,
		ExtraArgs: append([]string{"--blockmaxweight=3996000"}, strings.Fields(os.Getenv("ANCHOR_BENCH_BTCD_ARGS"))...)})
	if err != nil {
		b.Fatal(err)
	}
	defer n.Stop()
	rpc, err := anchor.DialRPC(n.RPCConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer rpc.Close()
	first, totalBytes, totalTxs := buildBenchChain(b, n, rpc, blocks, txsPerBlock, outsPerTx)
	b.Logf("built %d blocks of %.0f transactions (%.0f KB each)", blocks, float64(totalTxs)/float64(blocks),
		float64(totalBytes)/float64(blocks)/1000)

	var scanN func(b *testing.B, chain anchor.Chain, blocksFrom anchor.BlockSource)
	// measure runs f and reports the rates, and where the CPU time went (btcd and this process).
	measure := func(b *testing.B, f func()) {
		b.Helper()
		n.WaitIdle(time.Minute)
		btcd0, btcdErr := n.CPUTime()
		self0 := cputime.Self()
		start := time.Now()
		f()
		elapsed := time.Since(start).Seconds()
		perBlock := float64(blocks * b.N)
		b.ReportMetric(perBlock/elapsed, "blocks/s")
		b.ReportMetric(float64(totalTxs*b.N)/elapsed, "txs/s")
		b.ReportMetric(float64(totalBytes*b.N)/elapsed/1e6, "MB/s")
		b.ReportMetric(elapsed*1e9/perBlock, "ns/block")
		if btcd1, err := n.CPUTime(); btcdErr == nil && err == nil {
			b.ReportMetric((btcd1-btcd0).Seconds()*1e3/perBlock, "btcd-cpu-ms/block")
		}
		b.ReportMetric((cputime.Self()-self0).Seconds()*1e3/perBlock, "watcher-cpu-ms/block")
	}
	hashes := make([]chainhash.Hash, blocks)
	for i := range hashes {
		if hashes[i], err = rpc.GetBlockHash(ctx, first+int64(i)); err != nil {
			b.Fatal(err)
		}
	}
	scan := func(b *testing.B, chain anchor.Chain, blocksFrom anchor.BlockSource) {
		b.Helper()
		measure(b, func() { scanN(b, chain, blocksFrom) })
	}
	scanN = func(b *testing.B, chain anchor.Chain, blocksFrom anchor.BlockSource) {
		for range b.N {
			got, ion, err := scantest.Count(ctx, &anchor.Watcher{Chain: chain, Blocks: blocksFrom, Genesis: first})
			if err != nil {
				b.Fatal(err)
			}
			if got != blocks || ion != blocks {
				b.Fatalf("scanned %d blocks with %d ION transactions, want %d", got, ion, blocks)
			}
		}
	}
	b.Run("source=rpcclient", func(b *testing.B) {
		client, err := rpcclient.New(n.RPCConfig(), nil)
		if err != nil {
			b.Fatal(err)
		}
		defer client.Shutdown()
		scan(b, anchor.NewRPC(client), nil)
	})
	b.Run("source=rpc", func(b *testing.B) { scan(b, rpc, nil) })
	b.Run("source=p2p", func(b *testing.B) {
		p, err := anchor.DialPeer(ctx, anchor.PeerConfig{Addr: n.PeerAddr(), Params: testnet.Params})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		scan(b, rpc, p)
	})
	// The node's serving speed alone: the same blocks fetched over P2P, 8 at a time, without parsing
	// them for ION transactions: the upper bound of the p2p scan.
	b.Run("source=p2p-fetch-only", func(b *testing.B) {
		p, err := anchor.DialPeer(ctx, anchor.PeerConfig{Addr: n.PeerAddr(), Params: testnet.Params})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		measure(b, func() {
			for range b.N {
				var g errgroup.Group
				g.SetLimit(8)
				for _, h := range hashes {
					g.Go(func() error {
						_, err := p.GetBlock(ctx, h)
						return err
					})
				}
				if err := g.Wait(); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// randomP2PKH is a pay-to-public-key-hash script to a random key: blocks of outputs to one key would all
// contain, or all lack, the OP_RETURN byte in the hash, which the watcher's output filter looks for.
func randomP2PKH(b *testing.B) []byte {
	var h [20]byte
	_, _ = rand.Read(h[:])
	s, err := txscript.NewScriptBuilder().AddOp(txscript.OP_DUP).AddOp(txscript.OP_HASH160).AddData(h[:]).
		AddOp(txscript.OP_EQUALVERIFY).AddOp(txscript.OP_CHECKSIG).Script()
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// buildBenchChain mines blocks filled with P2PKH fan-out transactions to random keys, the first of each block carrying
// an ION anchor, and returns the first such block's height and the blocks' total size and transactions.
func buildBenchChain(b *testing.B, n *testnet.Node, rpc *anchor.RPC, blocks, txsPerBlock, outsPerTx int) (first int64, totalBytes, totalTxs int) {
	b.Helper()
	ctx := context.Background()
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
	first, _ = rpc.GetBlockCount(ctx)
	first++
	for blk := range blocks {
		for t := range txsPerBlock {
			c := coins[blk*txsPerBlock+t]
			tx := wire.NewMsgTx(2)
			tx.AddTxIn(wire.NewTxIn(&c, nil, nil))
			value := (perCoin - int64(200+34*outsPerTx)*2) / int64(outsPerTx)
			for range outsPerTx {
				tx.AddTxOut(wire.NewTxOut(value, randomP2PKH(b)))
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
	return first, totalBytes, totalTxs
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
