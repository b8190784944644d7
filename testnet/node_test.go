package testnet

import (
	"context"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/rpcclient"
	"github.com/btcsuite/btcd/wire/v2"
)

func startNode(t *testing.T, cfg Config) *Node {
	t.Helper()
	return StartTest(t, cfg)
}

func TestStartGenerateFundStop(t *testing.T) {
	n := startNode(t, Config{})
	ctx := context.Background()

	// A second, independent client built from RPCConfig reaches the node.
	c, err := rpcclient.New(n.RPCConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Shutdown()
	if h, err := c.GetBlockCount(); err != nil || h != 0 {
		t.Fatalf("fresh regtest height = %d, %v; want 0", h, err)
	}

	key, _ := btcec.NewPrivateKey()
	dest, err := address.NewAddressWitnessPubKeyHash(address.Hash160(key.PubKey().SerializeCompressed()), Params)
	if err != nil {
		t.Fatal(err)
	}
	if got := dest.EncodeAddress()[:5]; got != "bcrt1" {
		t.Fatalf("regtest segwit address prefix %q", got)
	}
	const amount = btcutil.Amount(12_345_678)
	op, err := n.Fund(ctx, dest.EncodeAddress(), amount)
	if err != nil {
		t.Fatal(err)
	}
	// Funding from an empty harness mines 101 blocks so that the first coinbase matures.
	if h, _ := c.GetBlockCount(); h != coinbaseMaturity+1 {
		t.Fatalf("height after first Fund = %d, want %d", h, coinbaseMaturity+1)
	}
	// A second funding in the same block spends the first one's unconfirmed change.
	op2, err := n.Fund(ctx, dest.EncodeAddress(), amount)
	if err != nil {
		t.Fatal(err)
	}
	hashes, err := n.Generate(ctx, 1)
	if err != nil || len(hashes) != 1 {
		t.Fatalf("generate: %v %v", hashes, err)
	}
	for i, o := range []wire.OutPoint{op, op2} {
		out, err := c.GetTxOut(&o.Hash, o.Index, false)
		if err != nil || out == nil {
			t.Fatalf("funding %d: output %v not found: %v", i, o, err)
		}
		if out.Confirmations != 1 || out.Value != amount.ToBTC() {
			t.Fatalf("funding %d: %d confirmations, %v BTC", i, out.Confirmations, out.Value)
		}
	}

	// Starting and mining took btcd some CPU time, which benchmarks read to split the work.
	if cpu, err := n.CPUTime(); runtime.GOOS == "linux" && (err != nil || cpu <= 0) {
		t.Fatalf("btcd CPU time %v, %v", cpu, err)
	}

	dir := n.DataDir()
	if err := n.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("temporary data dir left behind: %v", err)
	}
	// (rpcclient retries refused connections for many seconds, so probe the port directly.)
	if conn, err := net.DialTimeout("tcp", n.RPCAddr(), time.Second); err == nil {
		conn.Close()
		t.Fatal("RPC port still open after Stop")
	}
}

// TestPeersSyncAndDisconnect forks a two-node network: split, both mine, joined again, the longer
// branch wins on both.
func TestPeersSyncAndDisconnect(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a := startNode(t, Config{ListenPeer: true})
	b := startNode(t, Config{ConnectPeers: []string{a.PeerAddr()}})
	if _, err := a.Generate(ctx, 5); err != nil {
		t.Fatal(err)
	}
	common, err := WaitSameTip(ctx, a, b)
	if err != nil || common.Height != 5 {
		t.Fatalf("shared tip %+v, %v; want height 5", common, err)
	}
	if err := b.Disconnect(ctx, a.PeerAddr()); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitPeers(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Generate(ctx, 2); err != nil {
		t.Fatal(err)
	}
	hashesB, err := b.Generate(ctx, 4)
	if err != nil {
		t.Fatal(err)
	}
	// Still apart after btcd's reconnection delay for persistent peers (5 s): the split holds as long
	// as a test needs it.
	time.Sleep(6 * time.Second)
	tipA, err := a.Tip(ctx)
	if err != nil || tipA.Height != 7 {
		t.Fatalf("A's branch tip %+v, %v; want height 7", tipA, err)
	}
	if peers, err := a.PeerCount(ctx); err != nil || peers != 0 {
		t.Fatalf("A has %d peers (%v) while split", peers, err)
	}
	// Reconnected, the longer branch (B: height 9) wins on both.
	if err := b.Connect(ctx, a.PeerAddr()); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitPeers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	tip, err := WaitSameTip(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if tip.Height != 9 || tip.Hash != *hashesB[3] {
		t.Fatalf("after reconnecting the tip is %+v, want B's block 9 %s", tip, hashesB[3])
	}
}
