package daemon

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/cas"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
	"github.com/ionode/ionode/testnet"
)

// faultNode starts btcd and a writer node whose missing files are given up on after a second and
// retried on a half-second backoff unit, so fault tests see retries within seconds.
func faultNode(t *testing.T, ctx context.Context) (*testnet.Node, *Daemon) {
	t.Helper()
	btc := startBitcoin(t, ctx, testnet.Config{})
	d := regtestNode(t, ctx, btc, "", func(s *nodeSetup) {
		s.Config.CASFetchTimeout = time.Second
		s.Config.UnresolvableRetry = 500 * time.Millisecond
	})
	return btc, d
}

// startBitcoin starts btcd regtest (with its transaction index; logging to the test), stopped when
// the test ends.
func startBitcoin(t *testing.T, ctx context.Context, cfg testnet.Config) *testnet.Node {
	t.Helper()
	cfg.Logger = testLogger(t)
	btc, err := testnet.Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { btc.Stop() })
	return btc
}

// waitState waits until d's store has the state hash want and d is synced.
func waitState(t *testing.T, ctx context.Context, d *Daemon, want []byte, what string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		got, err := d.Store.StateHash(ctx)
		if err == nil && bytes.Equal(got, want) && d.Syncer.Ready(ctx) == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not reach the same state (err %v)", what, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// observerNode starts a node without a writer key that follows btc from its genesis and fetches batch
// files from peer's IPFS node over bitswap (a node joining later); adjust changes its configuration. The
// node is closed when the test ends.
func observerNode(t *testing.T, ctx context.Context, btc *testnet.Node, peer *Daemon, adjust ...func(*Config)) *Daemon {
	t.Helper()
	rpc := btc.RPCConfig()
	cfg := DefaultConfig()
	cfg.Network, cfg.Listen, cfg.DataDir = "regtest", "127.0.0.1:0", t.TempDir()
	cfg.BitcoinRPC, cfg.BitcoinUser, cfg.BitcoinPassword = rpc.Host, rpc.User, rpc.Pass
	cfg.IPFSListen, cfg.IPFSPeers = []string{"/ip4/127.0.0.1/tcp/0"}, peer.CASNode.Addrs()
	cfg.PollInterval = 200 * time.Millisecond
	for _, f := range adjust {
		f(&cfg)
	}
	d, err := Start(ctx, cfg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })
	return d
}

// waitSynced waits until the node has handled every block btcd has.
func waitSynced(t *testing.T, ctx context.Context, d *Daemon, btc *testnet.Node) {
	t.Helper()
	count, err := btc.Client().GetBlockCount()
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute) // a safety net: under load a step takes many times its usual time
	for d.Syncer.Progress().Height < uint64(count) {
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("node stuck at height %d, chain at %d", d.Syncer.Progress().Height, count)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// anchorRaw anchors any string with the node's own wallet, paying ION's minimum fee for ops operations,
// mines the block that carries it and waits until the node has observed that block. It is how a
// (possibly hostile) writer's transaction reaches the chain without the batch writer.
func anchorRaw(t *testing.T, ctx context.Context, d *Daemon, btc *testnet.Node, anchorString string, ops int) {
	t.Helper()
	waitSynced(t, ctx, d, btc) // the wallet learns its coins from the blocks the node observes
	fee, err := feePolicy{d.chain, d.network.Latest()}.MinimumFee(ctx, ops)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.chain.wallet.Anchor(ctx, anchorString, fee); err != nil {
		t.Fatalf("anchor %q: %v", anchorString, err)
	}
	if _, err := btc.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	waitSynced(t, ctx, d, btc)
}

// buildBatch builds the batch files of requests as the node's batch writer does, without storing them
// anywhere: it returns the anchor string and the files by CID.
func buildBatch(t *testing.T, requests ...sidetree.Value) (string, map[string][]byte) {
	t.Helper()
	bodies := make([][]byte, len(requests))
	for i, r := range requests {
		bodies[i] = r.Stringify()
	}
	files := map[string][]byte{}
	anchorString, _, err := batch.Build(bodies, "", sidetree.Regtest().Latest(), func(data []byte) (string, error) {
		c, err := cas.ComputeCID(data)
		files[c] = data
		return c, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return anchorString, files
}

// putFiles stores files in the node's CAS under the CIDs they were built with.
func putFiles(t *testing.T, ctx context.Context, d *Daemon, files map[string][]byte) {
	t.Helper()
	for want, data := range files {
		got, err := d.CAS.Put(ctx, data)
		if err != nil || got != want {
			t.Fatalf("put file %s: got %s, %v", want, got, err)
		}
	}
}

// noFailure fails the test when a component of the node has stopped with an error.
func noFailure(t *testing.T, d *Daemon) {
	t.Helper()
	select {
	case err := <-d.errs:
		t.Fatalf("node component failed: %v", err)
	default:
	}
}

// newCreate builds a create request with one service and returns it with its keys (recovery, update).
func newCreate(t *testing.T) (*sidetree.CreateRequest, sidetree.JWK, sidetree.JWK) {
	t.Helper()
	rec, upd := mustKey(t), mustKey(t)
	doc := sidetree.Document{Services: []sidetree.Service{{ID: "hub", Type: "LinkedDomains", Endpoint: sidetree.String("https://hub.example.com/")}}}
	create, err := sidetree.NewCreateRequest("ion", rec, upd, doc, sidetree.Regtest().Latest())
	if err != nil {
		t.Fatal(err)
	}
	return create, rec, upd
}

// newUpdate builds an update adding the service "extra".
func newUpdate(t *testing.T, suffix string, upd sidetree.JWK) sidetree.Value {
	t.Helper()
	update, err := sidetree.NewUpdateRequest(suffix, upd, mustKey(t), sidetree.UpdateChanges{
		AddServices: []sidetree.Service{{ID: "extra", Type: "LinkedDomains", Endpoint: sidetree.String("https://extra.example.com/")}},
	}, sidetree.Regtest().Latest())
	if err != nil {
		t.Fatal(err)
	}
	return update
}

func published(c client, did string) bool {
	status, v := c.resolve(did)
	ok, _ := v.Field("didDocumentMetadata").Field("method").Field("published").Boolean()
	return status == 200 && ok
}

func hasService(c client, did, id string) bool {
	status, v := c.resolve(did)
	return status == 200 && strings.Contains(string(v.Stringify()), "#"+id)
}
