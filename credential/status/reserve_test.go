package status_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/status"
)

func TestReserve(t *testing.T) {
	ctx := context.Background()
	store := &status.FileStore{Dir: t.TempDir()}
	signer, _ := credential.GenerateKey(credential.EdDSA)
	s, _ := credential.NewSigner("did:example:issuer#k", signer)
	m := &status.Manager{Store: store, Issuer: &credential.Issuer{Signer: s}, BaseURL: "https://issuer.example/status"}
	if err := m.Create(ctx, "l", status.StatusList2021, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	r := &status.Reserve{Manager: m, Batch: 10}
	const n = 95
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			e, err := r.Allocate(ctx, "l")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if seen[e.StatusListIndex] {
				t.Errorf("index %s handed out twice", e.StatusListIndex)
			}
			seen[e.StatusListIndex] = true
		})
	}
	wg.Wait()
	// Every entry handed out is allocated in the stored list, and the ten batches allocated 100.
	l, err := store.Load(ctx, "l")
	if err != nil {
		t.Fatal(err)
	}
	allocated := 0
	for i := range l.Allocated.Len() {
		if used, _ := l.Allocated.Get(i); used {
			allocated++
		}
	}
	for idx := range seen {
		i, _ := strconv.Atoi(idx)
		if used, _ := l.Allocated.Get(i); !used {
			t.Fatalf("index %d handed out but not allocated", i)
		}
	}
	if len(seen) != n || allocated != 100 {
		t.Fatalf("%d entries handed out, %d allocated", len(seen), allocated)
	}
}

func TestAllocateNFull(t *testing.T) {
	ctx := context.Background()
	signer, _ := credential.GenerateKey(credential.EdDSA)
	s, _ := credential.NewSigner("did:example:issuer#k", signer)
	m := &status.Manager{Store: &status.FileStore{Dir: t.TempDir()}, Issuer: &credential.Issuer{Signer: s}, BaseURL: "https://issuer.example/status"}
	if err := m.Create(ctx, "l", status.StatusList2021, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	l, _ := m.Store.Load(ctx, "l")
	size := l.Allocated.Len()
	if _, err := m.AllocateN(ctx, "l", size-1); err != nil {
		t.Fatal(err)
	}
	if _, err := m.AllocateN(ctx, "l", 2); !errors.Is(err, status.ErrFull) {
		t.Fatalf("err %v, want ErrFull", err)
	}
	if _, err := m.AllocateN(ctx, "l", 1); err != nil {
		t.Fatalf("the last free index: %v", err)
	}
}
