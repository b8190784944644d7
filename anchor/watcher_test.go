package anchor_test

import (
	"context"
	"encoding/hex"
	"testing"
	"time"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/testnet"
)

func startNode(t *testing.T, cfg testnet.Config) *testnet.Node {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	n, err := testnet.Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := n.Stop(); err != nil {
			t.Error(err)
		}
	})
	return n
}

// recorder collects watcher events and keeps the cursor as a caller persists it.
type recorder struct {
	events []anchor.Event
	cursor anchor.Cursor
	txs    []anchor.Transaction // the surviving transactions, as a store would keep them
}

func (r *recorder) emit(_ context.Context, ev anchor.Event, next anchor.Cursor) error {
	r.events = append(r.events, ev)
	switch e := ev.(type) {
	case *anchor.Block:
		r.txs = append(r.txs, e.Transactions...)
	case *anchor.Reorg:
		keep := r.txs[:0]
		for _, tx := range r.txs {
			if tx.Number <= e.RevertAfterTransactionNumber {
				keep = append(keep, tx)
			}
		}
		r.txs = keep
	}
	// Persist as the node would: through the binary form.
	b, err := next.MarshalBinary()
	if err != nil {
		return err
	}
	var c anchor.Cursor
	if err := c.UnmarshalBinary(b); err != nil {
		return err
	}
	r.cursor = c
	return nil
}

func (r *recorder) poll(t *testing.T, w *anchor.Watcher) {
	t.Helper()
	c, err := w.Poll(context.Background(), r.cursor, r.emit)
	if err != nil {
		t.Fatal(err)
	}
	r.cursor = c
}

func opReturn(t *testing.T, data string) *wire.TxOut {
	t.Helper()
	s, err := txscript.NullDataScript([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return wire.NewTxOut(0, s)
}

func harnessWriter(t *testing.T, n *testnet.Node) string {
	t.Helper()
	a, err := address.DecodeAddress(n.HarnessAddr(), testnet.Params)
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(a.ScriptAddress())
}

func dial(t *testing.T, n *testnet.Node) *anchor.RPC {
	t.Helper()
	r, err := anchor.DialRPC(n.RPCConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// feeOf computes a mined transaction's fee independently of the watcher.
func feeOf(t *testing.T, rpc *anchor.RPC, txid chainhash.Hash) uint64 {
	t.Helper()
	ctx := context.Background()
	tx, err := rpc.GetRawTransaction(ctx, txid)
	if err != nil {
		t.Fatal(err)
	}
	var in, out int64
	for _, i := range tx.TxIn {
		prev, err := rpc.GetRawTransaction(ctx, i.PreviousOutPoint.Hash)
		if err != nil {
			t.Fatal(err)
		}
		in += prev.TxOut[i.PreviousOutPoint.Index].Value
	}
	for _, o := range tx.TxOut {
		out += o.Value
	}
	return uint64(in - out)
}

func TestWatcherReadsAnchorsAndSkipsBadData(t *testing.T) {
	ctx := context.Background()
	n := startNode(t, testnet.Config{})
	rpc := dial(t, n)
	writer := harnessWriter(t, n)

	const cid = "QmWd5PH6vyRH5kMdzZRPBnf952dbR4av3Bd7B2wBqMaAcf"
	type sent struct {
		txid   chainhash.Hash
		anchor string
		ion    bool
	}
	var all []sent
	send := func(anchorStr string, ion bool, outs ...*wire.TxOut) {
		op, err := n.Send(ctx, outs)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, sent{op.Hash, anchorStr, ion})
	}
	p2wsh := make([]byte, 34)
	p2wsh[0], p2wsh[1] = 0x00, 0x20
	send("1."+cid, true, opReturn(t, "ion:1."+cid))
	send("", false, opReturn(t, "hello world"))                                                   // non-ION OP_RETURN
	send("", false, opReturn(t, "ION:1."+cid))                                                    // wrong-case prefix
	send("0."+cid, true, opReturn(t, "ion:0."+cid))                                               // malformed: reported
	send("10001."+cid, true, opReturn(t, "ion:10001."+cid))                                       // oversize count: reported
	send("no-dot", true, opReturn(t, "ion:no-dot"))                                               // malformed: reported
	send("7."+cid, true, opReturn(t, "other"), opReturn(t, "ion:7."+cid), opReturn(t, "ion:8.x")) // first ION output wins
	send("", false, wire.NewTxOut(1000, p2wsh))                                                   // no OP_RETURN at all
	// An OP_RETURN with OP_PUSHDATA2: ION's asm pattern does not match it.
	pd2 := append([]byte{0x6a, 0x4d, byte(len("ion:2." + cid)), 0}, []byte("ion:2."+cid)...)
	send("", false, wire.NewTxOut(0, pd2))

	if _, err := n.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	height, _ := rpc.GetBlockCount(ctx)
	hash, _ := rpc.GetBlockHash(ctx, height)
	block, _ := rpc.GetBlock(ctx, hash)
	index := map[chainhash.Hash]int{}
	for i, tx := range block.Transactions {
		index[tx.TxHash()] = i
	}

	w := &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis, Fetchers: 4}
	var r recorder
	r.poll(t, w)
	var want []anchor.Transaction
	for _, s := range all {
		i, ok := index[s.txid]
		if !ok {
			t.Fatalf("transaction %s not mined", s.txid)
		}
		if !s.ion {
			continue
		}
		want = append(want, anchor.Transaction{
			Number: uint64(height)*1_000_000 + uint64(i), Height: uint64(height), BlockHash: hash.String(), Index: i,
			TxID: s.txid.String(), AnchorString: s.anchor, FeePaid: feeOf(t, rpc, s.txid), Writer: writer,
		})
	}
	// Transactions come in block order.
	for i := 1; i < len(want); i++ {
		for j := i; j > 0 && want[j].Number < want[j-1].Number; j-- {
			want[j], want[j-1] = want[j-1], want[j]
		}
	}
	if len(r.txs) != len(want) {
		t.Fatalf("got %d transactions, want %d: %+v", len(r.txs), len(want), r.txs)
	}
	for i := range want {
		if r.txs[i] != want[i] {
			t.Errorf("transaction %d:\n got %+v\nwant %+v", i, r.txs[i], want[i])
		}
	}
	valid := 0
	for _, tx := range r.txs {
		if _, err := tx.Anchor(); err == nil {
			valid++
		}
	}
	if valid != 2 {
		t.Errorf("%d transactions with a valid anchor, want 2", valid)
	}
	// Every block from genesis was reported, once, in order.
	var heights []int64
	for _, ev := range r.events {
		if b, ok := ev.(*anchor.Block); ok {
			heights = append(heights, b.Height)
		}
	}
	if int64(len(heights)) != height+1 || heights[0] != 0 || heights[len(heights)-1] != height {
		t.Fatalf("reported heights %v, tip %d", heights, height)
	}
	if r.cursor.Height != height {
		t.Fatalf("cursor at %d, tip %d", r.cursor.Height, height)
	}
	// A second poll with nothing new reports nothing.
	before := len(r.events)
	r.poll(t, w)
	if len(r.events) != before {
		t.Fatalf("idle poll emitted %d events", len(r.events)-before)
	}
}

func TestWatcherConfirmations(t *testing.T) {
	ctx := context.Background()
	n := startNode(t, testnet.Config{})
	rpc := dial(t, n)
	if _, err := n.Generate(ctx, 10); err != nil {
		t.Fatal(err)
	}
	w := &anchor.Watcher{Chain: rpc, Genesis: 3, Confirmations: 6}
	var r recorder
	r.poll(t, w)
	// Tip 10 with 6 confirmations: blocks 3..5.
	if len(r.events) != 3 || r.cursor.Height != 5 {
		t.Fatalf("%d events, cursor %d", len(r.events), r.cursor.Height)
	}
	if b := r.events[0].(*anchor.Block); b.Height != 3 {
		t.Fatalf("first block %d, want genesis 3", b.Height)
	}
}
