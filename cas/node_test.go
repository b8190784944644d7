package cas

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/ipfs/boxo/ipld/unixfs"
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// openTestNode opens a node on dir listening on a loopback port and closes it
// when the test ends.
func openTestNode(t testing.TB, dir string, peers ...string) *Node {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, err := OpenNode(ctx, NodeConfig{
		DataDir:      dir,
		Peers:        peers,
		FetchTimeout: 2 * time.Second,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatalf("OpenNode: %v", err)
	}
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return n
}

func TestNodePutGetRoundTrip(t *testing.T) {
	n := openTestNode(t, t.TempDir())
	ctx := context.Background()
	for _, size := range []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 5 << 20} {
		data := pattern(size)
		c, err := n.Put(ctx, data)
		if err != nil {
			t.Fatalf("Put(%d bytes): %v", size, err)
		}
		if len(c) != 46 || c[:2] != "Qm" {
			t.Errorf("Put(%d bytes) = %q, want a CIDv0", size, c)
		}
		got, err := n.Get(ctx, c, int64(size))
		if err != nil {
			t.Fatalf("Get(%s, max %d): %v", c, size, err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("Get(%s) returned %d bytes that differ from the %d put", c, len(got), size)
		}
	}
}

func TestNodePersistsAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	data := pattern(3*ChunkSize + 17)
	ctx := context.Background()

	first := openTestNode(t, dir)
	id := first.ID()
	c, err := first.Put(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second := openTestNode(t, dir)
	if second.ID() != id {
		t.Errorf("peer ID changed across reopen: %s then %s", id, second.ID())
	}
	// A deadline keeps a regression from waiting on the network.
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	got, err := second.Get(ctx, c, int64(len(data)))
	if err != nil {
		t.Fatalf("Get after reopen: %v", err)
	}
	if !bytes.Equal(got, data) {
		t.Error("content changed across reopen")
	}
}

func TestNodeSecondOpenOfDataDirFails(t *testing.T) {
	dir := t.TempDir()
	openTestNode(t, dir)
	n, err := OpenNode(context.Background(), NodeConfig{DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err == nil {
		n.Close()
		t.Fatal("a second node opened the same data directory")
	}
}

func TestNodeGetErrors(t *testing.T) {
	n := openTestNode(t, t.TempDir())
	ctx := context.Background()
	big := pattern(2*ChunkSize + 5)
	bigCID, err := n.Put(ctx, big)
	if err != nil {
		t.Fatal(err)
	}
	dirCID := putDirectory(t, n)

	tests := []struct {
		name    string
		cid     string
		maxSize int64
		want    error
	}{
		{"garbage", "not-a-cid", 100, ErrInvalidCID},
		{"empty", "", 100, ErrInvalidCID},
		{"truncated CIDv0", bigCID[:45], 100, ErrInvalidCID},
		{"one byte over", bigCID, int64(len(big)) - 1, ErrTooLarge},
		{"far over", bigCID, 10, ErrTooLarge},
		{"zero max", bigCID, 0, ErrTooLarge},
		{"directory", dirCID, 1000, ErrNotAFile},
		{"unknown", unknownCID(t), 100, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Only the unknown CID waits for its deadline; the others are
			// answered from the local blockstore long before it.
			timeout := 10 * time.Second
			if tt.want == ErrNotFound {
				timeout = 500 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			got, err := n.Get(ctx, tt.cid, tt.maxSize)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Get(%q, %d) = %d bytes, %v; want %v", tt.cid, tt.maxSize, len(got), err, tt.want)
			}
			if tt.want == ErrNotFound && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("not-found error %v does not carry the deadline", err)
			}
		})
	}
	t.Run("exact max", func(t *testing.T) {
		got, err := n.Get(ctx, bigCID, int64(len(big)))
		if err != nil || !bytes.Equal(got, big) {
			t.Fatalf("Get with max = size: %d bytes, %v", len(got), err)
		}
	})
	t.Run("no deadline uses FetchTimeout", func(t *testing.T) {
		start := time.Now()
		_, err := n.Get(ctx, unknownCID(t), 10)
		// ctx has no deadline: only FetchTimeout's can have ended the fetch. The bound on the time only
		// turns a fetch that never ends into a clear failure; a loaded machine stays far within it.
		if !errors.Is(err, ErrNotFound) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want ErrNotFound ended by FetchTimeout's deadline", err)
		}
		if d := time.Since(start); d > time.Minute {
			t.Errorf("took %v, FetchTimeout is 2s", d)
		}
	})
}

func TestNodeCIDv1(t *testing.T) {
	n := openTestNode(t, t.TempDir())
	ctx := context.Background()
	data := []byte("hello world\n")
	v0, err := n.Put(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCID(v0)
	if err != nil {
		t.Fatal(err)
	}
	// The same block named by a base32 CIDv1 (dag-pb) must read the same.
	v1 := cidV1(c).String()
	got, err := n.Get(ctx, v1, 100)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get(%s) = %q, %v", v1, got, err)
	}
}

// unknownCID is a valid CIDv0 of content no test ever stores.
func unknownCID(t testing.TB) string {
	t.Helper()
	h, err := mh.Sum([]byte("no test stores this: "+t.Name()), mh.SHA2_256, -1)
	if err != nil {
		t.Fatal(err)
	}
	return cid.NewCidV0(h).String()
}

func cidV1(c cid.Cid) cid.Cid { return cid.NewCidV1(c.Type(), c.Hash()) }

// putDirectory stores an empty UnixFS directory and returns its CID.
func putDirectory(t testing.TB, n *Node) string {
	t.Helper()
	dir := unixfs.EmptyDirNode()
	if err := n.dag.Add(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	return dir.Cid().String()
}
