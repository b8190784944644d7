package cas

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/network"
)

func openDHTNode(t *testing.T, mode DHTMode, bootstrap []string, peers ...string) *Node {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, err := OpenNode(ctx, NodeConfig{
		DataDir: t.TempDir(), DHT: mode, Bootstrap: bootstrap, Peers: peers,
		FetchTimeout: 3 * time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatalf("OpenNode: %v", err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute) // a safety net: under load a step takes many times its usual time
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDHTFindsTheWriter: a node that was given only a bootstrap peer finds, through a private DHT,
// the node that wrote a file, and fetches it; without the DHT the same start finds nothing.
func TestDHTFindsTheWriter(t *testing.T) {
	boot := openDHTNode(t, DHTServer, nil)
	writer := openDHTNode(t, DHTServer, boot.Addrs())
	reader := openDHTNode(t, DHTClient, boot.Addrs())
	waitFor(t, "both have joined the DHT", func() bool {
		return writer.dht.RoutingTable().Size() > 0 && reader.dht.RoutingTable().Size() > 0
	})

	data := pattern(2*ChunkSize + 7)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	root, err := writer.Put(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	id, err := cid.Decode(root)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the bootstrap peer holds the writer's provider record", func() bool {
		provs, err := boot.dht.ProviderStore().GetProviders(ctx, id.Hash())
		return err == nil && len(provs) > 0 && provs[0].ID == writer.host.ID()
	})
	roots, err := writer.announcedRoots(ctx)
	if err != nil || len(roots) != 1 || !roots[0].Equals(id) {
		t.Fatalf("recorded for reproviding: %v, %v", roots, err)
	}

	// The reader learns the provider from the DHT, not from a connection it already had.
	reader.host.Network().ClosePeer(writer.host.ID())
	var found bool
	for p := range reader.dht.FindProvidersAsync(ctx, id, 1) {
		found = found || p.ID == writer.host.ID()
	}
	if !found {
		t.Fatal("the DHT did not name the writer as the file's provider")
	}
	reader.host.Network().ClosePeer(writer.host.ID())
	if reader.host.Network().Connectedness(writer.host.ID()) == network.Connected {
		t.Log("the DHT reconnected the reader to the writer before the fetch")
	}
	got, err := reader.Get(ctx, root, int64(len(data)))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("reader.Get over the DHT: %d bytes, %v", len(got), err)
	}

	// Control: the same start without the DHT (connected to the bootstrap peer only) cannot find it.
	alone := openDHTNode(t, DHTOff, nil, boot.Addrs()...)
	short, cancelShort := context.WithTimeout(ctx, 3*time.Second)
	defer cancelShort()
	if _, err := alone.Get(short, root, int64(len(data))); !errors.Is(err, ErrNotFound) {
		t.Fatalf("without the DHT: %v, want ErrNotFound", err)
	}
}

func TestParseDHTMode(t *testing.T) {
	for in, want := range map[string]DHTMode{"": DHTOff, "off": DHTOff, "Client": DHTClient, " server ": DHTServer, "auto": DHTAuto} {
		if got, err := ParseDHTMode(in); err != nil || got != want {
			t.Errorf("ParseDHTMode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseDHTMode("lan"); err == nil {
		t.Error(`ParseDHTMode("lan"): no error`)
	}
	// OpenNode runs the mode as parsed, not as spelled.
	if n := openDHTNode(t, "Client", nil); n.dht == nil || n.dht.Mode() != dht.ModeClient {
		t.Error(`DHT "Client" did not start a DHT client`)
	}
}

// Close stops the DHT, the reprovider and any announcement still being retried.
func TestDHTNodeCloseReleasesGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	open := func(bootstrap []string) *Node {
		n, err := OpenNode(ctx, NodeConfig{DataDir: t.TempDir(), DHT: DHTServer, Bootstrap: bootstrap,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	boot := open(nil)
	n := open(boot.Addrs())
	if _, err := n.Put(ctx, pattern(ChunkSize)); err != nil {
		t.Fatal(err)
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if err := boot.Close(); err != nil {
		t.Fatal(err)
	}
	waitGoroutines(t, before)
}
