package writer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// memQueue is the queue contract in memory (the store's own conformance suite tests the real ones).
type memQueue struct {
	mu      sync.Mutex
	ops     []Operation
	batches int
}

func (q *memQueue) add(n int) {
	for i := range n {
		q.ops = append(q.ops, Operation{DIDSuffix: fmt.Sprintf("did%d-%d", len(q.ops), i), Type: sidetree.OpCreate, Request: []byte(fmt.Sprintf("req-%d", len(q.ops)))})
	}
}

func (q *memQueue) TakeBatch(_ context.Context, max int) ([]Operation, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.batches++
	id := fmt.Sprintf("b%d", q.batches)
	var out []Operation
	for i := range q.ops {
		if q.ops[i].BatchID == "" && len(out) < max {
			q.ops[i].BatchID = id
			out = append(out, q.ops[i])
		}
	}
	return out, nil
}

func (q *memQueue) InFlight(context.Context) ([]Operation, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []Operation
	for _, op := range q.ops {
		if op.BatchID != "" {
			out = append(out, op)
		}
	}
	return out, nil
}

func (q *memQueue) ReturnBatch(_ context.Context, id string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i := range q.ops {
		if q.ops[i].BatchID == id {
			q.ops[i].BatchID = ""
		}
	}
	return nil
}

func (q *memQueue) CompleteBatch(_ context.Context, id string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ops = slices.DeleteFunc(q.ops, func(op Operation) bool { return op.BatchID == id })
	return nil
}

func (q *memQueue) Requeue(_ context.Context, op Operation) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, o := range q.ops {
		if o.DIDSuffix == op.DIDSuffix {
			return fmt.Errorf("%w: %s", ErrDIDBusy, op.DIDSuffix)
		}
	}
	q.ops = append(q.ops, op)
	return nil
}

func (q *memQueue) QueueDepth(context.Context) (int, error) {
	n := 0
	for _, op := range q.ops {
		if op.BatchID == "" {
			n++
		}
	}
	return n, nil
}

type memCAS struct{ files map[string][]byte }

func (c *memCAS) Put(_ context.Context, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	id := hex.EncodeToString(sum[:8])
	c.files[id] = data
	return id, nil
}

// build is a deterministic stand-in for sidetree/batch.Build: one file, anchor "<n>.<id>".
func build(requests [][]byte, put func([]byte) (string, error)) (string, error) {
	var all []byte
	for _, r := range requests {
		all = append(all, r...)
		all = append(all, '\n')
	}
	id, err := put(all)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d.%s", len(requests), id), nil
}

// chain is an anchorer whose transactions confirm when the test says so.
type chain struct {
	anchors map[string]string // anchor → txid
	conf    map[string]int    // txid → confirmations; -1 failed, -2 unknown to the wallet
	fail    error             // Anchor fails with it when set
	max     int
	minFees []uint64
}

func newChain() *chain {
	return &chain{anchors: map[string]string{}, conf: map[string]int{}, max: 100}
}

func (c *chain) Anchor(_ context.Context, anchor string, minFee uint64) (string, uint64, error) {
	if c.fail != nil {
		return "", 0, c.fail
	}
	txid := fmt.Sprintf("tx%d", len(c.anchors)+1)
	c.anchors[anchor] = txid
	c.conf[txid] = 0
	c.minFees = append(c.minFees, minFee)
	return txid, minFee + 10, nil
}

func (c *chain) Lookup(_ context.Context, anchor string) (string, bool, error) {
	txid, ok := c.anchors[anchor]
	return txid, ok, nil
}

func (c *chain) Confirmations(_ context.Context, txid string) (int, error) {
	if c.conf[txid] == -2 {
		return 0, ErrAnchorUnknown
	}
	if c.conf[txid] < 0 {
		return 0, ErrAnchorFailed
	}
	return c.conf[txid], nil
}

func (c *chain) MaxOperations(context.Context) (int, error) { return c.max, nil }

func (c *chain) mine(n int) {
	for tx, k := range c.conf {
		if k >= 0 {
			c.conf[tx] = k + n
		}
	}
}

type feePerOp uint64

func (f feePerOp) MinimumFee(_ context.Context, ops int) (uint64, error) {
	return uint64(f) * uint64(ops), nil
}

func newWriter(q *memQueue, c *chain) *Writer {
	return &Writer{Queue: q, CAS: &memCAS{files: map[string][]byte{}}, Build: build, Anchorer: c, Fees: feePerOp(3),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func TestWriterBatchesAndConfirms(t *testing.T) {
	ctx := context.Background()
	q, c := &memQueue{}, newChain()
	w := newWriter(q, c)
	q.add(250)
	steps := []struct {
		mine      int
		wantOps   int
		wantQueue int // operations left in the store, queued or in flight
	}{
		{0, 100, 250}, // first batch: the no-lock allowance
		{0, 0, 250},   // unconfirmed: nothing new
		{1, 0, 150},   // one confirmation: the batch is written and leaves the store, but ION waits for 6
		{4, 0, 150},   // 5 confirmations
		{1, 100, 150}, // 6: next batch
		{6, 50, 50},
		{6, 0, 0},
	}
	for i, s := range steps {
		c.mine(s.mine)
		n, err := w.WriteOnce(ctx)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if n != s.wantOps || len(q.ops) != s.wantQueue {
			t.Fatalf("step %d: anchored %d (want %d), store holds %d (want %d)", i, n, s.wantOps, len(q.ops), s.wantQueue)
		}
	}
	if !slices.Equal(c.minFees, []uint64{300, 300, 150}) {
		t.Errorf("minimum fees %v", c.minFees)
	}
}

func TestWriterReturnsFailedBatches(t *testing.T) {
	ctx := context.Background()
	q, c := &memQueue{}, newChain()
	w := newWriter(q, c)
	q.add(3)
	c.fail = errors.New("insufficient funds")
	if _, err := w.WriteOnce(ctx); err == nil || !strings.Contains(err.Error(), "insufficient funds") {
		t.Fatalf("err = %v", err)
	}
	if d, _ := q.QueueDepth(ctx); d != 3 {
		t.Fatalf("queue depth after a failed anchor = %d, want 3", d)
	}
	c.fail = nil
	if n, err := w.WriteOnce(ctx); n != 3 || err != nil {
		t.Fatalf("retry: %d %v", n, err)
	}
	// The transaction is conflicted out of the mempool: the batch comes back and is anchored again.
	c.conf["tx1"] = -1
	if n, err := w.WriteOnce(ctx); n != 3 || err != nil {
		t.Fatalf("after failure: %d %v", n, err)
	}
	// The same batch (same files, same anchor string) is anchored by a second transaction.
	if len(c.anchors) != 1 || len(c.conf) != 2 {
		t.Errorf("anchors %v, transactions %v", c.anchors, c.conf)
	}
	for _, txid := range c.anchors {
		if txid != "tx2" {
			t.Errorf("batch anchored by %s, want tx2", txid)
		}
	}
}

// TestWriterRestart: a new writer over the same queue and wallet finds the in-flight batch's transaction
// by its anchor string and neither loses nor re-anchors it; a batch taken but never anchored is anchored.
func TestWriterRestart(t *testing.T) {
	ctx := context.Background()
	q, c := &memQueue{}, newChain()
	q.add(5)
	if n, _ := newWriter(q, c).WriteOnce(ctx); n != 5 {
		t.Fatal("first batch")
	}
	restarted := newWriter(q, c)
	if n, err := restarted.WriteOnce(ctx); n != 0 || err != nil || len(c.anchors) != 1 {
		t.Fatalf("restart re-anchored: %d %v %v", n, err, c.anchors)
	}
	c.mine(1)
	if _, err := restarted.WriteOnce(ctx); err != nil || len(q.ops) != 0 {
		t.Fatalf("not completed after restart: %v, %d left", err, len(q.ops))
	}

	// Crash between TakeBatch and Anchor.
	q.add(2)
	if _, err := q.TakeBatch(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := newWriter(q, c).WriteOnce(ctx); err != nil || len(c.anchors) != 2 {
		t.Fatalf("orphan batch not anchored: %v %v", err, c.anchors)
	}
}

// TestWriterBuildsAnInFlightBatchOnce: settling a batch while it waits for its confirmation does not
// build it again (a batch of 10,000 operations takes some 200 ms to build); a restarted writer builds it
// once, to find its transaction, and the next batch is built when it is taken.
func TestWriterBuildsAnInFlightBatchOnce(t *testing.T) {
	ctx := context.Background()
	q, c := &memQueue{}, newChain()
	counted := func(w *Writer) *int {
		n := new(int)
		w.Build = func(requests [][]byte, put func([]byte) (string, error)) (string, error) {
			*n++
			return build(requests, put)
		}
		return n
	}
	w := newWriter(q, c)
	w.ConfirmationsBetweenBatches = 1
	builds := counted(w)
	q.add(3)
	if n, err := w.WriteOnce(ctx); n != 3 || err != nil {
		t.Fatalf("first batch: %d %v", n, err)
	}
	for range 3 {
		if n, err := w.WriteOnce(ctx); n != 0 || err != nil {
			t.Fatalf("while unconfirmed: %d %v", n, err)
		}
	}
	if *builds != 1 {
		t.Fatalf("built %d times before its confirmation, want 1", *builds)
	}

	restarted := newWriter(q, c)
	restarted.ConfirmationsBetweenBatches = 1
	builds = counted(restarted)
	for range 2 {
		if n, err := restarted.WriteOnce(ctx); n != 0 || err != nil || len(c.anchors) != 1 {
			t.Fatalf("after a restart: %d %v %v", n, err, c.anchors)
		}
	}
	c.mine(1)
	q.add(2)
	if n, err := restarted.WriteOnce(ctx); n != 2 || err != nil {
		t.Fatalf("next batch: %d %v", n, err)
	}
	if len(q.ops) != 2 || len(c.anchors) != 2 {
		t.Fatalf("first batch not completed or next not anchored: %d queued, anchors %v", len(q.ops), c.anchors)
	}
	if *builds != 2 {
		t.Fatalf("the restarted writer built %d times, want 2 (the batch in flight once, the next one)", *builds)
	}
	// The completed batch's anchor string is forgotten at the next settling.
	if _, err := restarted.WriteOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(restarted.built) != 1 {
		t.Fatalf("anchor strings held for %d batches, want the one in flight", len(restarted.built))
	}
}
