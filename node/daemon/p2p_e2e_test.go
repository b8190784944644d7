package daemon

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/ionode/ionode/anchor/p2pchain"
	"github.com/ionode/ionode/testnet"
)

// TestP2POnlyVerifier anchors a DID with a writer node (over RPC) and resolves it on a second node
// configured with no Bitcoin RPC at all: it follows the chain from two btcd nodes as P2P peers,
// verifying proof of work and each block against its header, and must reach the writer's state.
func TestP2POnlyVerifier(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and two nodes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	btc := startBitcoin(t, ctx, testnet.Config{ListenPeer: true})
	other := startBitcoin(t, ctx, testnet.Config{ListenPeer: true, ConnectPeers: []string{btc.PeerAddr()}})
	d := regtestNode(t, ctx, btc, "")
	c := client{t, "http://" + d.Addr()}
	create, _, _ := newCreate(t)
	did := "did:ion:" + create.DIDSuffix
	mustPost(t, c, create.Body)
	mineUntil(t, ctx, btc, "the create", func() bool { return published(c, did) })
	if _, err := testnet.WaitSameTip(ctx, btc, other); err != nil {
		t.Fatal(err)
	}

	v := observerNode(t, ctx, btc, d, func(cfg *Config) {
		cfg.BitcoinRPC, cfg.BitcoinUser, cfg.BitcoinPassword = "", "", ""
		cfg.BitcoinPeers = []string{btc.PeerAddr(), other.PeerAddr()}
	})
	if v.chain.rpc != nil {
		t.Fatal("the verifier has an RPC client")
	}
	want, err := d.Store.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, ctx, v, want, "the P2P-only verifier")
	if status, _ := (client{t, "http://" + v.Addr()}).resolve(did); status != http.StatusOK {
		t.Fatalf("resolving %s on the verifier: HTTP %d", did, status)
	}

	resp, err := http.Get("http://" + v.Addr() + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		Connectivity struct {
			Bitcoin struct{ OK bool } `json:"bitcoin"`
		} `json:"connectivity"`
		P2P p2pchain.Status `json:"bitcoinP2P"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	tip := blockCount(t, btc)
	if !st.Connectivity.Bitcoin.OK || len(st.P2P.Peers) != 2 || st.P2P.HeaderHeight != tip || st.P2P.BlockHeight != tip || st.P2P.Lag != 0 {
		t.Fatalf("/status: %+v (chain tip %d)", st, tip)
	}
	noFailure(t, v)
}

// TestP2POnlyWriter runs a writing node with no Bitcoin RPC: it learns its coins from the blocks it
// reads from its peers, broadcasts its anchor with a tx message, and sees the DID through its own
// watcher once btcd has mined it.
func TestP2POnlyWriter(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and a node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	btc := startBitcoin(t, ctx, testnet.Config{ListenPeer: true})
	d := regtestNode(t, ctx, btc, "", func(s *nodeSetup) {
		s.Config.BitcoinRPC, s.Config.BitcoinUser, s.Config.BitcoinPassword = "", "", ""
		s.Config.BitcoinPeers = []string{btc.PeerAddr()}
	})
	if d.chain.rpc != nil || d.chain.wallet == nil {
		t.Fatal("want a writer without an RPC client")
	}
	c := client{t, "http://" + d.Addr()}
	create, _, _ := newCreate(t)
	did := "did:ion:" + create.DIDSuffix
	mustPost(t, c, create.Body)
	mineUntil(t, ctx, btc, "the create anchored over P2P", func() bool { return published(c, did) })
	noFailure(t, d)
}
