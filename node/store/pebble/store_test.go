package pebble

import (
	"context"
	"errors"
	"testing"

	"github.com/ionode/ionode/internal/storetest"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

// TestReopen checks what must survive a restart: the log, the generation counter (a generation is never
// handed out twice), the queue positions and batch ids, and read-only mode.
func TestReopen(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	op := storetest.Op("did-r", 1_000_000, 0)
	if err := s.PutOperations(ctx, []sidetree.AnchoredOperation{op}); err != nil {
		t.Fatal(err)
	}
	_, gen1, _ := s.Operations(ctx, "did-r")
	if err := s.CacheState(ctx, "did-r", gen1, []byte("state")); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"a", "b"} {
		if err := s.Enqueue(ctx, suffix, sidetree.OpUpdate, []byte(suffix)); err != nil {
			t.Fatal(err)
		}
	}
	batch, err := s.TakeBatch(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}

	ro, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if ops, gen, err := ro.Operations(ctx, "did-r"); err != nil || len(ops) != 1 || gen != gen1 {
		t.Fatalf("read-only Operations = %d ops, generation %d (want %d), %v", len(ops), gen, gen1, err)
	}
	if err := ro.PutOperations(ctx, []sidetree.AnchoredOperation{op}); !errors.Is(err, store.ErrReadOnly) {
		t.Fatalf("read-only PutOperations: %v", err)
	}
	if err := ro.Enqueue(ctx, "c", sidetree.OpUpdate, nil); !errors.Is(err, store.ErrReadOnly) {
		t.Fatalf("read-only Enqueue: %v", err)
	}
	ro.Close(ctx)

	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if data, ok, _ := s.CachedState(ctx, "did-r"); !ok || string(data) != "state" {
		t.Fatalf("cached state lost by a clean restart: %q, %v", data, ok)
	}
	if err := s.RollbackAfter(ctx, 0); err != nil {
		t.Fatal(err)
	}
	_, gen2, _ := s.Operations(ctx, "did-r")
	if gen2 <= gen1 {
		t.Fatalf("generation after restart and rollback = %d, not above %d: a generation was reused", gen2, gen1)
	}
	if n, _ := s.QueueDepth(ctx); n != 1 {
		t.Fatalf("QueueDepth after restart = %d, want 1", n)
	}
	inflight, _ := s.InFlight(ctx)
	if len(inflight) != 1 || inflight[0].BatchID != batch[0].BatchID {
		t.Fatalf("in-flight after restart = %+v, want batch %s", inflight, batch[0].BatchID)
	}
	if err := s.Enqueue(ctx, "c", sidetree.OpUpdate, nil); err != nil {
		t.Fatal(err)
	}
	next, _ := s.TakeBatch(ctx, 10)
	if len(next) != 2 || next[0].DIDSuffix != "b" || next[1].DIDSuffix != "c" || next[0].BatchID == batch[0].BatchID {
		t.Fatalf("batch after restart = %+v", next)
	}
}
