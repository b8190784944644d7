package cas

import (
	"context"
	"testing"

	mdtest "github.com/ipfs/boxo/ipld/merkledag/test"
)

// goldenCIDs were produced by a real IPFS implementation, not by this package:
// Kubo 0.43.0 (github.com/ipfs/kubo v0.43.0, built from its module source with
// go1.26.8), repository initialised with `ipfs init --profile=test` (Import
// section left at Kubo's defaults), command `ipfs add -Q <file>`; the same
// CIDs came out of `ipfs add -Q --cid-version=0 --chunker=size-262144
// --raw-leaves=false --trickle=false <file>`. The inputs are "hello world\n"
// and pattern(n) (the SHA-256 counter stream, see pattern_test.go) written to
// a file. 45,613,056 bytes is 174 full chunks (one node of 174 links);
// 45,875,200 bytes is 175 chunks (a second tree level).
var goldenCIDs = []struct {
	name string
	data func() []byte
	cid  string
}{
	{"empty", func() []byte { return nil }, "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"},
	{"hello world", func() []byte { return []byte("hello world\n") }, "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"},
	{"1 byte", func() []byte { return patternPrefix(1) }, "QmboLZtGz8oLt5vaHpWCoFAbYbTueVmE48GEwBFUvrJS9g"},
	{"1 KiB", func() []byte { return patternPrefix(1024) }, "QmQ4KhjsHVMRVRJaHF413CfrtfWGfcr1wuKTYjoMnkrqfu"},
	{"262143 bytes", func() []byte { return patternPrefix(262143) }, "QmQ7nfYVCVUZFfWPPdeoGCwZ2aTnai7MW49y34JxrnMjDg"},
	{"262144 bytes", func() []byte { return patternPrefix(262144) }, "Qma8iYabJuw8DhVJ6yV14tKDQBhb6sApmYy8pVqEvxz2H4"},
	{"262145 bytes", func() []byte { return patternPrefix(262145) }, "QmZRZYEtyYsJWDc4bCne5vmXzndMefW6W7Gx1zLmw67QuT"},
	{"512 KiB", func() []byte { return patternPrefix(524288) }, "QmYXBEYfixiXvViAFH2Mn1YftdwoS4TzDZ8doWWHQ1nP3q"},
	{"1 MiB", func() []byte { return patternPrefix(1 << 20) }, "Qmf5BJUJ129GdC2TuaEXvBV3q5cJ4oD7gBnUD64EcTJW4y"},
	{"5 MiB", func() []byte { return patternPrefix(5 << 20) }, "QmcjgCQqPVJsYsCTAPA9cB7MT25NJjk8sKJqUvCZKQds1A"},
	{"174 chunks", func() []byte { return patternPrefix(174 * ChunkSize) }, "QmTerRRcTwSyrYNp5bRHakduMx4h4pRN3xFhdCj1zDJnmp"},
	{"175 chunks", func() []byte { return patternPrefix(175 * ChunkSize) }, "QmXCEakQjxzZjC4oG21dR7KMs1D1osRPEnnzvL7Z9YpYWU"},
}

// The importer alone, into memory, must give every golden CID.
func TestImportMatchesIPFSAdd(t *testing.T) {
	for _, g := range goldenCIDs {
		t.Run(g.name, func(t *testing.T) {
			c, err := importUnixFS(mdtest.Mock(), g.data())
			if err != nil {
				t.Fatal(err)
			}
			if c.String() != g.cid {
				t.Errorf("CID %s, ipfs add gives %s", c, g.cid)
			}
		})
	}
}

// ComputeCID (nothing stored) gives every golden CID.
func TestComputeCIDMatchesIPFSAdd(t *testing.T) {
	for _, g := range goldenCIDs {
		got, err := ComputeCID(g.data())
		if err != nil {
			t.Fatal(err)
		}
		if got != g.cid {
			t.Errorf("%s: ComputeCID = %s, ipfs add gives %s", g.name, got, g.cid)
		}
	}
}

// Node.Put (batched, persistent) gives the same CIDs and reads them back.
func TestNodePutMatchesIPFSAdd(t *testing.T) {
	n := openTestNode(t, t.TempDir())
	ctx := context.Background()
	for _, g := range goldenCIDs[:10] { // up to 5 MiB; the larger two only test layout
		data := g.data()
		c, err := n.Put(ctx, data)
		if err != nil {
			t.Fatal(err)
		}
		if c != g.cid {
			t.Errorf("%s: Put gives %s, ipfs add gives %s", g.name, c, g.cid)
		}
		if got, err := n.Get(ctx, g.cid, int64(len(data))); err != nil || len(got) != len(data) {
			t.Errorf("%s: Get(%s) = %d bytes, %v", g.name, g.cid, len(got), err)
		}
	}
}
