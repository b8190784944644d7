package mainnetblocks_test

import (
	"bytes"
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/internal/mainnetblocks"
	"github.com/ionode/ionode/testnet"
)

// TestBlocksAcceptedByBtcd is the proof that the blocks are valid Bitcoin blocks: btcd checks every
// signature, amount and the witness commitment, and takes them as its best chain.
func TestBlocksAcceptedByBtcd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cache := t.TempDir()
	c, err := mainnetblocks.Build(mainnetblocks.Config{Seed: 7, Transactions: 300}, 3, cache)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range c.Shaped {
		if len(b.Transactions) != 301 {
			t.Fatalf("%d transactions, want 301", len(b.Transactions))
		}
	}
	st := c.Stats
	if st.Blocks != 3 || st.IONAnchors != 3 || st.OpReturns < 3*20 || len(st.InputsByKind) != 4 || st.WitnessBytes == 0 {
		t.Fatalf("stats %+v", st)
	}
	again, err := mainnetblocks.Build(mainnetblocks.Config{Seed: 7, Transactions: 300}, 3, cache)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Stats, c.Stats) || !bytes.Equal(serialize(t, again.All()), serialize(t, c.All())) {
		t.Fatal("the chain read from the cache differs from the one written")
	}
	blocks := c.All()
	n := testnet.StartTest(t, testnet.Config{})
	if err := mainnetblocks.Submit(ctx, n.Client(), blocks); err != nil {
		t.Fatal(err)
	}
	tip, err := n.Tip(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := blocks[len(blocks)-1].BlockHash(); tip.Hash != want || tip.Height != int64(len(blocks)) {
		t.Fatalf("btcd tip %d %s, want %d %s", tip.Height, tip.Hash, len(blocks), want)
	}
}

func serialize(t *testing.T, blocks []*wire.MsgBlock) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, b := range blocks {
		if err := b.Serialize(&buf); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}
