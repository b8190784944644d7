package kubo

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/ionode/ionode/cas"
)

// Our embedded node and a real Kubo daemon exchange files over bitswap in
// both directions.
func TestEmbeddedNodeAndKuboOverBitswap(t *testing.T) {
	d := startKubo(t)
	client, err := New(d.api, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	node, err := cas.OpenNode(ctx, cas.NodeConfig{
		DataDir: t.TempDir(),
		Peers:   d.swarm,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close()

	// Kubo → embedded node.
	fromKubo := pattern(3*cas.ChunkSize + 7)
	c, err := client.Put(ctx, fromKubo)
	if err != nil {
		t.Fatal(err)
	}
	got, err := node.Get(ctx, c, int64(len(fromKubo)))
	if err != nil || !bytes.Equal(got, fromKubo) {
		t.Fatalf("embedded node Get(%s) from Kubo: %d bytes, %v", c, len(got), err)
	}

	// Embedded node → Kubo (Kubo is already connected to us).
	fromNode := append([]byte("from the embedded node "), pattern(2*cas.ChunkSize)...)
	c, err = node.Put(ctx, fromNode)
	if err != nil {
		t.Fatal(err)
	}
	got, err = client.Get(ctx, c, int64(len(fromNode)))
	if err != nil || !bytes.Equal(got, fromNode) {
		t.Fatalf("Kubo cat(%s) from embedded node: %d bytes, %v", c, len(got), err)
	}
}
