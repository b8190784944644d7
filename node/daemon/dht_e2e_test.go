package daemon

import (
	"context"
	"testing"
	"time"

	"github.com/ionode/ionode/cas"
	"github.com/ionode/ionode/testnet"
)

// TestSyncOverPrivateDHT: a node given only a DHT bootstrap peer, not the writer, finds the writer's
// batch files through the DHT (--ipfs-dht, --ipfs-bootstrap) and reaches the writer's state.
func TestSyncOverPrivateDHT(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	btc := startBitcoin(t, ctx, testnet.Config{})
	// The bootstrap peer is only a DHT server: it holds no files.
	boot, err := cas.OpenNode(ctx, cas.NodeConfig{DataDir: t.TempDir(), DHT: cas.DHTServer, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { boot.Close() })
	d := regtestNode(t, ctx, btc, "", func(s *nodeSetup) {
		s.Config.IPFSDHT, s.Config.IPFSBootstrap = "server", boot.Addrs()
	})

	create, _, _ := newCreate(t)
	did := "did:ion:" + create.DIDSuffix
	c := client{t, "http://" + d.Addr()}
	if status, body := c.post(create.Body.Stringify()); status != 200 {
		t.Fatalf("create: %d %s", status, body)
	}
	mineUntil(t, ctx, btc, "the create to be anchored and resolved", func() bool {
		status, v := c.resolve(did)
		ok, _ := v.Field("didDocumentMetadata").Field("method").Field("published").Boolean()
		return status == 200 && ok
	})
	hash1, err := d.Store.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}

	second := observerNode(t, ctx, btc, d, func(cfg *Config) {
		cfg.IPFSPeers = nil
		cfg.IPFSDHT, cfg.IPFSBootstrap = "client", boot.Addrs()
	})
	waitState(t, ctx, second, hash1, "the node on the DHT")
	status, v := client{t, "http://" + second.Addr()}.resolve(did)
	if published, _ := v.Field("didDocumentMetadata").Field("method").Field("published").Boolean(); status != 200 || !published {
		t.Fatalf("the node on the DHT resolves %d %s", status, v.Stringify())
	}
}
