package cas

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/ipfs/boxo/peering"
)

// Node B, configured with node A as its peer, fetches A's multi-block file
// over bitswap, then serves it on after A is gone.
func TestNodesExchangeOverBitswap(t *testing.T) {
	a := openTestNode(t, t.TempDir())
	data := pattern(3*ChunkSize + 1000) // four leaves under one root
	c, err := a.Put(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	b := openTestNode(t, t.TempDir(), a.Addrs()...)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := b.Get(ctx, c, int64(len(data)))
	if err != nil {
		t.Fatalf("B.Get(%s) from A: %v", c, err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("B received different bytes")
	}

	// B now holds every block itself: with A closed, a third node learns the
	// file from B alone.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	third := openTestNode(t, t.TempDir(), b.Addrs()...)
	got, err = third.Get(ctx, c, int64(len(data)))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("third node Get from B: %d bytes, %v", len(got), err)
	}
}

// Over the network too, an oversized file stops the fetch with ErrTooLarge,
// and a CID no peer has ends in ErrNotFound at the deadline.
func TestNodeRemoteErrors(t *testing.T) {
	a := openTestNode(t, t.TempDir())
	data := pattern(4 * ChunkSize)
	c, err := a.Put(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	b := openTestNode(t, t.TempDir(), a.Addrs()...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := b.Get(ctx, c, ChunkSize); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("B.Get with max one chunk: %v, want ErrTooLarge", err)
	}
	short, cancelShort := context.WithTimeout(ctx, time.Second)
	defer cancelShort()
	if _, err := b.Get(short, unknownCID(t), 100); !errors.Is(err, ErrNotFound) {
		t.Fatalf("B.Get(unknown): %v, want ErrNotFound", err)
	}
}

// Close stops everything the nodes started: libp2p, bitswap, peering.
func TestNodeCloseReleasesGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	a := openTestNode(t, t.TempDir())
	c, err := a.Put(context.Background(), pattern(2*ChunkSize))
	if err != nil {
		t.Fatal(err)
	}
	b := openTestNode(t, t.TempDir(), a.Addrs()...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := b.Get(ctx, c, 2*ChunkSize); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	waitGoroutines(t, before)
}

// waitGoroutines fails unless the goroutine count falls back to before. Some
// goroutines finish just after Close returns; allow them a moment and a small
// margin for the runtime's own.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute) // a safety net: under load goroutines end late
	for runtime.NumGoroutine() > before+3 {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines before, %d after Close:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The connection manager (libp2p's default) trims connections, so DHT queries do not pile them up,
// but never the configured peers'.
func TestNodeKeepsConfiguredPeers(t *testing.T) {
	a := openTestNode(t, t.TempDir())
	b := openTestNode(t, t.TempDir(), a.Addrs()...)
	if !b.host.ConnManager().IsProtected(a.host.ID(), peering.ConnmgrTag) {
		t.Fatal("the configured peer is not protected from connection trimming")
	}
}
