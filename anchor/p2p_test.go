package anchor_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/testnet"
)

func serialize(t *testing.T, b *wire.MsgBlock) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := b.Serialize(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// blocksOnly strips what is valid only during the event, to compare two scans.
func blocksOnly(events []anchor.Event) []anchor.Event {
	out := make([]anchor.Event, len(events))
	for i, ev := range events {
		if b, ok := ev.(*anchor.Block); ok {
			c := *b
			c.Raw = nil
			ev = &c
		}
		out[i] = ev
	}
	return out
}

func TestPeerBlocks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	n := startNode(t, testnet.Config{ListenPeer: true})
	rpc := dial(t, n)
	for i := range 3 {
		if _, err := n.Send(ctx, []*wire.TxOut{opReturn(t, "ion:"+string(rune('1'+i))+".QmPeer")}); err != nil {
			t.Fatal(err)
		}
		if _, err := n.Generate(ctx, 2); err != nil {
			t.Fatal(err)
		}
	}
	tip, err := rpc.GetBlockCount(ctx)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("wrong network", func(t *testing.T) {
		_, err := anchor.DialPeer(ctx, anchor.PeerConfig{Addr: n.PeerAddr(), Params: &chaincfg.MainNetParams, Timeout: 20 * time.Second})
		if err == nil {
			t.Fatal("handshake with a regtest node as mainnet succeeded")
		}
	})

	peer, err := anchor.DialPeer(ctx, anchor.PeerConfig{Addr: n.PeerAddr(), Params: testnet.Params, Batch: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()

	t.Run("same blocks as RPC, concurrently", func(t *testing.T) {
		var wg sync.WaitGroup
		for h := int64(0); h <= tip; h++ {
			wg.Go(func() {
				hash, err := rpc.GetBlockHash(ctx, h)
				if err != nil {
					t.Error(err)
					return
				}
				want, err := rpc.GetBlock(ctx, hash)
				if err != nil {
					t.Error(err)
					return
				}
				got, err := peer.GetBlock(ctx, hash)
				if err != nil {
					t.Errorf("block %d: %v", h, err)
					return
				}
				if !bytes.Equal(serialize(t, got), serialize(t, want)) {
					t.Errorf("block %d differs between P2P and RPC", h)
				}
			})
		}
		wg.Wait()
	})

	t.Run("unknown block", func(t *testing.T) {
		_, err := peer.GetBlock(ctx, chainhash.Hash{1, 2, 3})
		if !errors.Is(err, anchor.ErrBlockNotFound) {
			t.Fatalf("got %v, want ErrBlockNotFound", err)
		}
	})

	t.Run("watcher events identical", func(t *testing.T) {
		var viaRPC, viaPeer recorder
		viaRPC.poll(t, &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis})
		viaPeer.poll(t, &anchor.Watcher{Chain: rpc, Blocks: peer, Genesis: anchor.RegtestGenesis, Fetchers: 3})
		if len(viaRPC.events) != int(tip)+1 || len(viaRPC.txs) != 3 {
			t.Fatalf("RPC scan: %d events, %d transactions; want %d, 3", len(viaRPC.events), len(viaRPC.txs), tip+1)
		}
		if !reflect.DeepEqual(blocksOnly(viaRPC.events), blocksOnly(viaPeer.events)) {
			t.Fatal("events differ between RPC and P2P")
		}
		if !reflect.DeepEqual(viaRPC.cursor, viaPeer.cursor) {
			t.Fatalf("cursor %+v via P2P, %+v via RPC", viaPeer.cursor, viaRPC.cursor)
		}
	})

	t.Run("closed source falls back to RPC", func(t *testing.T) {
		closed, err := anchor.DialPeer(ctx, anchor.PeerConfig{Addr: n.PeerAddr(), Params: testnet.Params})
		if err != nil {
			t.Fatal(err)
		}
		closed.Close()
		if _, err := closed.GetBlock(ctx, chainhash.Hash{}); err == nil {
			t.Fatal("closed source answered")
		}
		var r recorder
		r.poll(t, &anchor.Watcher{Chain: rpc, Blocks: closed, Genesis: anchor.RegtestGenesis})
		if len(r.events) != int(tip)+1 || len(r.txs) != 3 {
			t.Fatalf("%d events, %d transactions; want %d, 3", len(r.events), len(r.txs), tip+1)
		}
	})
}
