package writer

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

func keptIDs(t *testing.T, w *Writer) []string {
	t.Helper()
	var ids []string
	for _, k := range w.kept {
		ids = append(ids, k.TxID)
	}
	return ids
}

// TestWriterKeptBatches: a completed batch is kept until KeepDepth confirmations; when its transaction
// stops counting before that (a reorganization deeper than the confirmations between batches), its
// operations are anchored again.
func TestWriterKeptBatches(t *testing.T) {
	tests := []struct {
		name     string
		mine     int  // confirmations of tx1 after it completed with 1
		fail     bool // then tx1 stops counting
		forget   bool // then the wallet forgets tx1
		wantNext int  // operations the next WriteOnce anchors
		wantKept []string
	}{
		{name: "reverted after completion", fail: true, wantNext: 3, wantKept: nil},
		{name: "reverted just before keep depth", mine: 8, fail: true, wantNext: 3, wantKept: nil},
		{name: "confirmed deeper", mine: 5, wantNext: 0, wantKept: []string{"tx1"}},
		{name: "back in the mempool", mine: -1, wantNext: 0, wantKept: []string{"tx1"}},
		{name: "deep enough: forgotten", mine: 9, fail: true, wantNext: 0, wantKept: nil},
		{name: "unknown to the wallet: forgotten", mine: 2, forget: true, wantNext: 0, wantKept: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			q, c := &memQueue{}, newChain()
			w := newWriter(q, c)
			w.KeepDepth = 10
			w.ConfirmationsBetweenBatches = 1
			q.add(3)
			if n, err := w.WriteOnce(ctx); n != 3 || err != nil {
				t.Fatalf("first batch: %d %v", n, err)
			}
			c.mine(1)
			if n, err := w.WriteOnce(ctx); n != 0 || err != nil || len(q.ops) != 0 {
				t.Fatalf("completion: %d %v, %d left", n, err, len(q.ops))
			}
			if got := keptIDs(t, w); !slices.Equal(got, []string{"tx1"}) {
				t.Fatalf("kept after completion %v", got)
			}
			if tc.mine < 0 {
				c.conf["tx1"] = 0
			} else {
				c.mine(tc.mine)
			}
			if _, err := w.WriteOnce(ctx); err != nil {
				t.Fatal(err)
			}
			if tc.fail {
				c.conf["tx1"] = -1
			}
			if tc.forget {
				c.conf["tx1"] = -2
			}
			n, err := w.WriteOnce(ctx)
			if err != nil || n != tc.wantNext {
				t.Fatalf("after the change: anchored %d (want %d), %v", n, tc.wantNext, err)
			}
			if got := keptIDs(t, w); !slices.Equal(got, tc.wantKept) {
				t.Fatalf("kept %v, want %v", got, tc.wantKept)
			}
			if tc.wantNext > 0 {
				// The same operations, so the same batch files and anchor string, in a new transaction.
				if len(c.anchors) != 1 || !slices.Contains(slices.Collect(maps.Values(c.anchors)), "tx2") {
					t.Fatalf("anchors %v", c.anchors)
				}
				c.mine(1)
				if _, err := w.WriteOnce(ctx); err != nil || len(q.ops) != 0 {
					t.Fatalf("rewritten batch not completed: %v, %d left", err, len(q.ops))
				}
			}
		})
	}
}

// TestWriterKeptBusyDID: a reverted operation whose DID has a newer operation queued waits until that
// one leaves the queue, then is queued again; the batch's other operations go back at once.
func TestWriterKeptBusyDID(t *testing.T) {
	ctx := context.Background()
	q, c := &memQueue{}, newChain()
	w := newWriter(q, c)
	w.ConfirmationsBetweenBatches = 1
	q.ops = []Operation{
		{DIDSuffix: "a", Type: sidetree.OpCreate, Request: []byte("create a")},
		{DIDSuffix: "b", Type: sidetree.OpCreate, Request: []byte("create b")},
	}
	if n, _ := w.WriteOnce(ctx); n != 2 {
		t.Fatal("first batch")
	}
	c.mine(1)
	if _, err := w.WriteOnce(ctx); err != nil || len(q.ops) != 0 {
		t.Fatalf("completion: %v", err)
	}
	q.ops = append(q.ops, Operation{DIDSuffix: "a", Type: sidetree.OpUpdate, Request: []byte("update a")})
	c.conf["tx1"] = -1
	if n, err := w.WriteOnce(ctx); n != 2 || err != nil {
		t.Fatalf("after the reorg: %d %v", n, err)
	}
	requests := func(tx string) []string {
		for anchor, txid := range c.anchors {
			if txid == tx {
				_, id, _ := strings.Cut(anchor, ".")
				return strings.Fields(strings.ReplaceAll(string(w.CAS.(*memCAS).files[id]), " ", "_"))
			}
		}
		return nil
	}
	if got := requests("tx2"); !slices.Equal(got, []string{"update_a", "create_b"}) {
		t.Fatalf("second batch %q", got)
	}
	if got := keptIDs(t, w); !slices.Equal(got, []string{"tx1"}) {
		t.Fatalf("kept %v", got)
	}
	c.mine(1)
	if n, err := w.WriteOnce(ctx); n != 0 || err != nil {
		t.Fatalf("completing the second batch: %d %v", n, err)
	}
	if got := keptIDs(t, w); !slices.Equal(got, []string{"tx1", "tx2"}) {
		t.Fatalf("kept %v", got)
	}
	if n, err := w.WriteOnce(ctx); n != 1 || err != nil {
		t.Fatalf("the waiting operation: %d %v", n, err)
	}
	if got := requests("tx3"); !slices.Equal(got, []string{"create_a"}) {
		t.Fatalf("third batch %q", got)
	}
	if got := keptIDs(t, w); !slices.Equal(got, []string{"tx2"}) {
		t.Fatalf("kept %v", got)
	}
}

// TestWriterKeptRestart: the kept batches survive a restart in a DirKept.
func TestWriterKeptRestart(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "kept")
	q, c := &memQueue{}, newChain()
	w := newWriter(q, c)
	w.Kept = &DirKept{Dir: dir}
	w.ConfirmationsBetweenBatches = 1
	q.add(4)
	if n, _ := w.WriteOnce(ctx); n != 4 {
		t.Fatal("first batch")
	}
	c.mine(1)
	if _, err := w.WriteOnce(ctx); err != nil || len(q.ops) != 0 {
		t.Fatalf("completion: %v", err)
	}
	c.conf["tx1"] = -1
	restarted := newWriter(q, c)
	restarted.Kept = &DirKept{Dir: dir}
	if n, err := restarted.WriteOnce(ctx); n != 4 || err != nil {
		t.Fatalf("after restart: %d %v", n, err)
	}
	if got := keptIDs(t, restarted); len(got) != 0 {
		t.Fatalf("kept %v", got)
	}
}

// keptOneBatch anchors a batch of three operations with a writer keeping its batches in a directory, and
// has it completed (one confirmation): the batch is kept, as tx1.
func keptOneBatch(t *testing.T, ctx context.Context) (*memQueue, *chain, *DirKept) {
	t.Helper()
	q, c := &memQueue{}, newChain()
	kept := &DirKept{Dir: filepath.Join(t.TempDir(), "kept")}
	w := newWriter(q, c)
	w.Kept, w.ConfirmationsBetweenBatches = kept, 1
	q.add(3)
	if n, err := w.WriteOnce(ctx); n != 3 || err != nil {
		t.Fatalf("first batch: %d %v", n, err)
	}
	c.mine(1)
	if _, err := w.WriteOnce(ctx); err != nil || len(q.ops) != 0 {
		t.Fatalf("completion: %v, %d left", err, len(q.ops))
	}
	return q, c, kept
}

// TestWriterRestoresKeptBatchFiles: a restarted writer puts the files of the batches it keeps again,
// once: a node that lost them (a crash before its CAS synced a Put) is otherwise the only place
// they could have come from, and its confirmed batch stays unreadable for every node.
func TestWriterRestoresKeptBatchFiles(t *testing.T) {
	ctx := context.Background()
	q, c, kept := keptOneBatch(t, ctx)
	anchored := slices.Collect(maps.Keys(c.anchors))
	if len(anchored) != 1 {
		t.Fatalf("anchors %v", anchored)
	}
	_, file, _ := strings.Cut(anchored[0], ".")

	// The crash lost the files; the restarted writer keeps the batch and has nothing in flight.
	lost := &memCAS{files: map[string][]byte{}}
	restarted := newWriter(q, c)
	restarted.Kept, restarted.CAS, restarted.ConfirmationsBetweenBatches = &DirKept{Dir: kept.Dir}, lost, 1
	if _, err := restarted.WriteOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := lost.files[file]; !ok || len(lost.files) != 1 {
		t.Fatalf("files after the restart: %v, want the anchored %s", slices.Collect(maps.Keys(lost.files)), file)
	}
	// Once: the next cycles do not build the batch again.
	delete(lost.files, file)
	if _, err := restarted.WriteOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if len(lost.files) != 0 {
		t.Fatalf("the files were put again on a later cycle: %v", slices.Collect(maps.Keys(lost.files)))
	}
}

// downCAS is a CAS that is not answering.
type downCAS struct{}

func (downCAS) Put(context.Context, []byte) (string, error) { return "", errors.New("CAS down") }

// TestWriterRequeuesWhileCASDown: a restarted writer whose CAS is down cannot put its kept batches'
// files again, yet it still requeues the operations of a kept batch whose transaction a reorganization
// undid; once the CAS answers they are anchored again.
func TestWriterRequeuesWhileCASDown(t *testing.T) {
	ctx := context.Background()
	q, c, kept := keptOneBatch(t, ctx)

	c.conf["tx1"] = -1 // reorganized away and conflicted
	restarted := newWriter(q, c)
	restarted.Kept, restarted.CAS, restarted.ConfirmationsBetweenBatches = &DirKept{Dir: kept.Dir}, downCAS{}, 1
	if n, err := restarted.WriteOnce(ctx); n != 0 || err == nil {
		t.Fatalf("with the CAS down: anchored %d, %v", n, err)
	}
	if depth, _ := q.QueueDepth(ctx); depth != 3 {
		t.Fatalf("%d operations queued again while the CAS is down, want 3", depth)
	}
	restarted.CAS = &memCAS{files: map[string][]byte{}}
	if n, err := restarted.WriteOnce(ctx); n != 3 || err != nil {
		t.Fatalf("with the CAS back: anchored %d, %v", n, err)
	}
}
