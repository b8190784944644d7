package pebble

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/ionode/ionode/internal/bytecache"
	"github.com/ionode/ionode/internal/storetest"
	"github.com/ionode/ionode/sidetree"
)

func TestStateMemoBudget(t *testing.T) {
	m := newStateMemo(1) // the smallest: bytecache.Granule
	gen := func() (uint64, error) { return 7, nil }
	state := make([]byte, 60<<10)
	n := 3 * bytecache.Granule / len(state)
	for i := range n {
		if err := m.add(fmt.Sprintf("did-%04d", i), 7, state, gen); err != nil {
			t.Fatal(err)
		}
	}
	if s := m.c.Stats(); s.Bytes > bytecache.Granule {
		t.Fatalf("memo holds %d bytes, budget %d", s.Bytes, bytecache.Granule)
	}
	if _, ok := m.get("did-0000"); ok {
		t.Error("oldest entry kept past the budget")
	}
	newest := fmt.Sprintf("did-%04d", n-1)
	if _, ok := m.get(newest); !ok {
		t.Error("newest entry evicted")
	}
	// Re-adding a key replaces it: it is served with its new generation.
	if err := m.add(newest, 8, []byte("new"), func() (uint64, error) { return 8, nil }); err != nil {
		t.Fatal(err)
	}
	if data, ok := m.get(newest); !ok || string(data) != "new" {
		t.Errorf("replaced entry: %q, %v", data, ok)
	}
	if g, ok := m.generation(newest); !ok || g != 8 {
		t.Errorf("replaced entry's generation: %d, %v", g, ok)
	}
	m.forget(map[string]struct{}{newest: {}})
	if _, ok := m.get(newest); ok {
		t.Error("forgotten entry still served")
	}
	if _, ok := m.generation(newest); ok {
		t.Error("forgotten entry's generation still served")
	}
}

func TestStateMemoAdd(t *testing.T) {
	errRead := errors.New("read failed")
	tests := []struct {
		name    string
		size    int
		current func() (uint64, error)
		kept    bool
		err     error
	}{
		{"current generation", 10, func() (uint64, error) { return 3, nil }, true, nil},
		{"generation moved on", 10, func() (uint64, error) { return 4, nil }, false, nil},
		{"read error", 10, func() (uint64, error) { return 0, errRead }, false, errRead},
		{"larger than an entry may be", bytecache.MaxEntry, func() (uint64, error) { return 3, nil }, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newStateMemo(1 << 20)
			err := m.add("did", 3, make([]byte, tc.size), tc.current)
			if !errors.Is(err, tc.err) {
				t.Fatalf("add = %v, want %v", err, tc.err)
			}
			if _, ok := m.get("did"); ok != tc.kept {
				t.Errorf("kept = %v, want %v", ok, tc.kept)
			}
		})
	}
	var off *stateMemo // a store opened with StateMemoSize < 0
	if newStateMemo(-1) != nil {
		t.Fatal("negative budget made a memo")
	}
	if err := off.add("did", 1, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := off.get("did"); ok {
		t.Fatal("nil memo served a state")
	}
	off.forget(map[string]struct{}{"did": {}})
}

// TestStateMemoRace races resolvers caching what they computed against the observer storing new
// operations: once the writes are done, every DID must serve only the state of its last generation.
func TestStateMemoRace(t *testing.T) {
	s, err := Open(t.TempDir(), Options{CacheSize: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	ctx := context.Background()
	const dids, writes = 8, 60
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the observer
		defer wg.Done()
		for i := range writes {
			if err := s.PutOperations(ctx, []sidetree.AnchoredOperation{storetest.Op(fmt.Sprint("did-", i%dids), uint64(1000+i), 0)}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for r := range 4 { // resolvers: compute "state = number of operations" and cache it
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range writes * 3 {
				suffix := fmt.Sprint("did-", (i+r)%dids)
				if _, _, err := s.CachedState(ctx, suffix); err != nil {
					t.Error(err)
					return
				}
				ops, gen, err := s.Operations(ctx, suffix)
				if err != nil {
					t.Error(err)
					return
				}
				if err := s.CacheState(ctx, suffix, gen, []byte(fmt.Sprint(len(ops)))); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for d := range dids {
		suffix := fmt.Sprint("did-", d)
		data, ok, err := s.CachedState(ctx, suffix)
		if err != nil {
			t.Fatal(err)
		}
		ops, _, err := s.Operations(ctx, suffix)
		if err != nil {
			t.Fatal(err)
		}
		if ok && string(data) != fmt.Sprint(len(ops)) {
			t.Errorf("%s: cached state %q after the writes, but it has %d operations", suffix, data, len(ops))
		}
	}
}

// TestStateMemoReopen: the memo is only a layer; a reopened store serves the persisted cache.
func TestStateMemoReopen(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutOperations(ctx, []sidetree.AnchoredOperation{storetest.Op("did-a", 1000, 0)}); err != nil {
		t.Fatal(err)
	}
	_, gen, err := s.Operations(ctx, "did-a")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CacheState(ctx, "did-a", gen, []byte("state")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for _, memo := range []int64{0, -1} {
		s, err := Open(dir, Options{StateMemoSize: memo})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // the first read fills the memo, the second is served from it
			data, ok, err := s.CachedState(ctx, "did-a")
			if err != nil || !ok || string(data) != "state" {
				t.Fatalf("memo %d: CachedState = %q, %v, %v", memo, data, ok, err)
			}
		}
		if err := s.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGenerationFromMemo: while the memo holds a DID's state, Generation answers from it, and what it
// answers is the store's generation through writes and rollbacks.
func TestGenerationFromMemo(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	ctx := context.Background()
	check := func(step string) {
		t.Helper()
		ops, gen, err := s.Operations(ctx, "did")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CacheState(ctx, "did", gen, []byte(fmt.Sprint(len(ops)))); err != nil {
			t.Fatal(err)
		}
		if _, ok := s.memo.generation("did"); !ok {
			t.Fatalf("%s: the memo does not hold the state just cached", step)
		}
		for range 2 {
			if got, err := s.Generation(ctx, "did"); err != nil || got != gen {
				t.Fatalf("%s: Generation = %d, %v; the store's is %d", step, got, err, gen)
			}
		}
	}
	for i := range 3 {
		if err := s.PutOperations(ctx, []sidetree.AnchoredOperation{storetest.Op("did", uint64(1000+i)<<32, 0)}); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprint("write ", i))
	}
	if err := s.RollbackAfter(ctx, 1000<<32|0xffffffff); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Generation(ctx, "did"); err != nil || got != s.generation {
		t.Fatalf("after the rollback: Generation = %d, %v; the store's is %d", got, err, s.generation)
	}
	check("rollback")
}
