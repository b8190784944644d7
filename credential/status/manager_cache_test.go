package status_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/status"
)

// countingStore counts the Store's loads and can fail its saves.
type countingStore struct {
	status.Store
	loads    int
	failSave bool
}

func (s *countingStore) Load(ctx context.Context, id string) (*status.List, error) {
	s.loads++
	return s.Store.Load(ctx, id)
}

var errDisk = errors.New("disk full")

func (s *countingStore) Save(ctx context.Context, l *status.List) error {
	if s.failSave {
		return errDisk
	}
	return s.Store.Save(ctx, l)
}

// TestManagerKeepsListsDecoded: reading bits does not read the store again, every change made through
// the Manager counts at once, and a change whose write failed is forgotten (the store's list is read
// again).
func TestManagerKeepsListsDecoded(t *testing.T) {
	ctx := context.Background()
	key, _ := credential.GenerateKey(credential.EdDSA)
	s, _ := credential.NewSigner("did:example:issuer#k", key)
	store := &countingStore{Store: &status.FileStore{Dir: t.TempDir()}}
	m := &status.Manager{Store: store, Issuer: &credential.Issuer{Signer: s}, BaseURL: "https://issuer.example/status"}
	if err := m.Create(ctx, "l", status.BitstringStatusList, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	lookup := func(index int) bool {
		t.Helper()
		kind, purpose, set, err := m.Lookup(ctx, "l", index)
		if err != nil || kind != status.BitstringStatusList || purpose != "revocation" {
			t.Fatalf("lookup %d: %q %q %v", index, kind, purpose, err)
		}
		return set
	}
	loads := store.loads
	for range 10 {
		if lookup(7) {
			t.Fatal("bit 7 set in a new list")
		}
	}
	if store.loads != loads {
		t.Fatalf("%d store loads for 10 lookups of a list the Manager wrote", store.loads-loads)
	}
	if err := m.SetStatus(ctx, "l", 7, true); err != nil {
		t.Fatal(err)
	}
	if !lookup(7) {
		t.Fatal("a revocation through the Manager does not count at once")
	}
	store.failSave = true
	if err := m.SetStatus(ctx, "l", 8, true); !errors.Is(err, errDisk) {
		t.Fatalf("save error %v", err)
	}
	store.failSave = false
	if lookup(8) {
		t.Fatal("a change whose write failed is served")
	}
	if !lookup(7) {
		t.Fatal("the stored revocation is lost")
	}
	if _, _, _, err := m.Lookup(ctx, "l", 1<<30); err == nil {
		t.Fatal("an index outside the list")
	}
	if _, _, _, err := m.Lookup(ctx, "missing", 0); !errors.Is(err, status.ErrNotFound) {
		t.Fatalf("missing list: %v", err)
	}
}
