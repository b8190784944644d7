package anchor_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/testnet"
)

// TestRESTBlocks serves btcd's blocks the way Bitcoin Core's REST interface does (GET
// /rest/block/<hash>.bin, 404 for unknown blocks); no bitcoind is available to test against.
func TestRESTBlocks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n := startNode(t, testnet.Config{})
	rpc := dial(t, n)
	if _, err := n.Send(ctx, []*wire.TxOut{opReturn(t, "ion:1.QmRest")}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Generate(ctx, 3); err != nil {
		t.Fatal(err)
	}
	tip, err := rpc.GetBlockCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string][]byte{}
	var last chainhash.Hash
	for h := int64(0); h <= tip; h++ {
		hash, err := rpc.GetBlockHash(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		b, err := rpc.GetBlock(ctx, hash)
		if err != nil {
			t.Fatal(err)
		}
		raw[hash.String()] = serialize(t, b)
		last = hash
	}
	// Hostile answers for chosen hashes: another block, trailing bytes, garbage.
	wrong, trailing, garbage := chainhash.Hash{1}, chainhash.Hash{2}, chainhash.Hash{3}
	raw[wrong.String()] = raw[last.String()]
	raw[trailing.String()] = append(bytes.Clone(raw[last.String()]), 0)
	raw[garbage.String()] = []byte("not a block")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hash, ok := strings.CutPrefix(r.URL.Path, "/rest/block/")
		hash, bin := strings.CutSuffix(hash, ".bin")
		b, found := raw[hash]
		if r.Method != http.MethodGet || !ok || !bin || !found {
			http.Error(w, "Block not found", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(b)
	}))
	defer srv.Close()
	rest := anchor.NewRESTBlocks(srv.URL + "/")
	defer rest.Close()

	got, err := rest.GetBlock(ctx, last)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(serialize(t, got), raw[last.String()]) {
		t.Fatal("block differs from RPC's")
	}
	if _, err := rest.GetBlock(ctx, chainhash.Hash{9}); !errors.Is(err, anchor.ErrBlockNotFound) {
		t.Fatalf("unknown block: got %v, want ErrBlockNotFound", err)
	}
	for name, h := range map[string]chainhash.Hash{"wrong block": wrong, "trailing bytes": trailing, "garbage": garbage} {
		if b, err := rest.GetBlock(ctx, h); err == nil {
			t.Errorf("%s: accepted block %s", name, b.BlockHash())
		}
	}

	var viaRPC, viaREST recorder
	viaRPC.poll(t, &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis})
	viaREST.poll(t, &anchor.Watcher{Chain: rpc, Blocks: rest, Genesis: anchor.RegtestGenesis})
	if len(viaRPC.txs) != 1 || !reflect.DeepEqual(blocksOnly(viaRPC.events), blocksOnly(viaREST.events)) ||
		!reflect.DeepEqual(viaRPC.cursor, viaREST.cursor) {
		t.Fatalf("REST scan differs from RPC scan (%d ION transactions via RPC)", len(viaRPC.txs))
	}
}
