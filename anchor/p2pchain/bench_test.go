package p2pchain

import (
	"context"
	"testing"
	"time"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/testnet"
)

// benchBlocks is the chain length the benchmarks sync: a few getheaders round trips.
const benchBlocks = 3000

// BenchmarkP2P measures, against btcd on loopback, header sync from genesis (headers/s: getheaders,
// proof of work and contextual checks, index) and the watcher's block scan over the source
// (blocks/s: getdata from the peers, Merkle root and witness checks, ION extraction). Regtest blocks
// are nearly empty: blocks/s here is the per-block overhead, not mainnet's byte throughput.
func BenchmarkP2P(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	a := testnet.StartTest(b, testnet.Config{ListenPeer: true})
	c := testnet.StartTest(b, testnet.Config{ListenPeer: true, ConnectPeers: []string{a.PeerAddr()}})
	if _, err := a.Generate(ctx, benchBlocks); err != nil {
		b.Fatal(err)
	}
	if _, err := testnet.WaitSameTip(ctx, a, c); err != nil {
		b.Fatal(err)
	}
	peers := []string{a.PeerAddr(), c.PeerAddr()}

	b.Run("headers", func(b *testing.B) {
		for b.Loop() {
			s, err := Start(ctx, Config{Params: testParams(), Peers: peers})
			if err != nil {
				b.Fatal(err)
			}
			if err := s.WaitSynced(ctx, len(peers)); err != nil {
				b.Fatal(err)
			}
			if h := s.Headers().Tip().Height; h != benchBlocks {
				b.Fatalf("synced to %d", h)
			}
			s.Close()
		}
		b.ReportMetric(float64(benchBlocks*b.N)/b.Elapsed().Seconds(), "headers/s")
	})

	b.Run("blocks", func(b *testing.B) {
		s, err := Start(ctx, Config{Params: testParams(), Peers: peers})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		if err := s.WaitSynced(ctx, len(peers)); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			w := &anchor.Watcher{Chain: s, Genesis: anchor.RegtestGenesis, Fetchers: 16}
			n := 0
			_, err := w.Poll(ctx, anchor.Cursor{}, func(context.Context, anchor.Event, anchor.Cursor) error { n++; return nil })
			if err != nil || n != benchBlocks+1 {
				b.Fatalf("%d blocks, %v", n, err)
			}
		}
		b.ReportMetric(float64((benchBlocks+1)*b.N)/b.Elapsed().Seconds(), "blocks/s")
	})
}
