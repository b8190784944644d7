package p2pchain

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/internal/cputime"
	"github.com/ionode/ionode/internal/mainnetblocks"
	"github.com/ionode/ionode/internal/scantest"
	"github.com/ionode/ionode/testnet"
)

// mainnetChain builds (or reads from the benchmark cache) P2PCHAIN_MAINNET_BLOCKS (default 20)
// mainnet-shaped blocks after their funding blocks.
func mainnetChain(b *testing.B) *mainnetblocks.Chain {
	b.Helper()
	n := 20
	if v, err := strconv.Atoi(os.Getenv("P2PCHAIN_MAINNET_BLOCKS")); err == nil && v > 0 {
		n = v
	}
	c, err := mainnetblocks.Build(mainnetblocks.Config{Seed: 1}, n, mainnetblocks.DefaultCacheDir())
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkMainnetScan measures the scan of mainnet-shaped blocks (internal/mainnetblocks: ~3,000
// transactions, ~1.5 MB) served by btcd over P2P on loopback, read as `ionode serve --bitcoin-peers`
// reads them: a Source (headers by proof of work, each block checked against its header) followed by
// the watcher (transactions parsed, ION's anchors matched). It reports the rate and where the CPU
// time went: this process (the node) and btcd, per block. Both share the machine's cores, so the wall
// rate is a lower bound for a node whose peers are elsewhere.
//
//	go test ./anchor/p2pchain -run '^$' -bench MainnetScan -benchtime 3x
//
// The first run generates and signs the blocks (~1 CPU-second each) into the benchmark cache
// (mainnetblocks.DefaultCacheDir); btcd checks them all again when they are submitted, every run.
func BenchmarkMainnetScan(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	chain := mainnetChain(b)
	n := testnet.StartTest(b, testnet.Config{ListenPeer: true})
	if err := mainnetblocks.Submit(ctx, n.Client(), chain.All()); err != nil {
		b.Fatal(err)
	}
	s, err := Start(ctx, Config{Params: testParams(), Peers: []string{n.PeerAddr()}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.WaitSynced(ctx, 1); err != nil {
		b.Fatal(err)
	}
	blocks := len(chain.Shaped)
	first := int64(len(chain.Prepare) + 1)
	var bytes int64
	for _, blk := range chain.Shaped {
		bytes += int64(blk.SerializeSize())
	}
	n.WaitIdle(time.Minute)
	btcd0, btcdErr := n.CPUTime()
	self0 := cputime.Self()
	b.ResetTimer()
	for b.Loop() {
		got, ion, err := scantest.Count(ctx, &anchor.Watcher{Chain: s, Genesis: first})
		if err != nil {
			b.Fatal(err)
		}
		if got != blocks || ion != blocks {
			b.Fatalf("scanned %d blocks with %d ION transactions, want %d and %d", got, ion, blocks, blocks)
		}
	}
	elapsed := b.Elapsed().Seconds()
	total := float64(blocks * b.N)
	b.ReportMetric(total/elapsed, "blocks/s")
	b.ReportMetric(float64(bytes)*float64(b.N)/elapsed/1e6, "MB/s")
	b.ReportMetric((cputime.Self()-self0).Seconds()*1e3/total, "node-cpu-ms/block")
	if btcd1, err := n.CPUTime(); err == nil && btcdErr == nil {
		b.ReportMetric((btcd1-btcd0).Seconds()*1e3/total, "btcd-cpu-ms/block")
	}
	b.ReportMetric(float64(bytes)/float64(blocks)/1e6, "MB/block")
}

// BenchmarkMainnetBlock splits the node's own work on one mainnet-shaped block, without any network:
// decoding the wire message (what the peer connection does on arrival), checking it against its
// header (hash, Merkle root, duplicates, witness commitment) and indexing its transaction IDs for the
// watcher's look-ups of spent outputs.
func BenchmarkMainnetBlock(b *testing.B) {
	chain := mainnetChain(b)
	blk := chain.Shaped[0]
	var raw bytes.Buffer
	if err := blk.Serialize(&raw); err != nil {
		b.Fatal(err)
	}
	hash := blk.BlockHash()
	b.Run("decode", func(b *testing.B) {
		perOp(b, raw.Len(), func(int) {
			var m wire.MsgBlock
			if err := m.BtcDecode(bytes.NewReader(raw.Bytes()), wire.ProtocolVersion, wire.WitnessEncoding); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("verify", func(b *testing.B) {
		perOp(b, raw.Len(), func(int) {
			if _, err := verifyBlock(blk, hash, blk.Header.MerkleRoot); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("index", func(b *testing.B) {
		ids, err := verifyBlock(blk, hash, blk.Header.MerkleRoot)
		if err != nil {
			b.Fatal(err)
		}
		x := newTxIndex(2016)
		perOp(b, raw.Len(), func(i int) {
			// A distinct block each time, as in a scan (the index skips a block it has).
			m := *blk
			m.Header.Nonce = uint32(i)
			x.add(int64(i), &m, ids)
		})
	})
}

// perOp runs f in the benchmark loop and reports its CPU time per call besides the wall time: on a
// shared machine the wall time counts other processes' turns.
func perOp(b *testing.B, bytes int, f func(i int)) {
	b.Helper()
	b.SetBytes(int64(bytes))
	cpu0 := cputime.Self()
	i := 0
	for b.Loop() {
		f(i)
		i++
	}
	b.ReportMetric((cputime.Self()-cpu0).Seconds()*1e3/float64(i), "cpu-ms/op")
}
