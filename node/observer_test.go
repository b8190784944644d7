package node

import (
	"context"
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ionode/ionode/sidetree"
)

// observerMemoryStore keeps what the observer writes, to check ordering and retries.
type observerMemoryStore struct {
	mu           sync.Mutex
	ops          []sidetree.AnchoredOperation
	transactions []uint64
	unresolvable map[uint64]Unresolvable
}

func (s *observerMemoryStore) PutOperations(_ context.Context, ops []sidetree.AnchoredOperation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
next:
	for _, op := range ops {
		for i, have := range s.ops {
			if have.DIDSuffix == op.DIDSuffix && have.TransactionNumber == op.TransactionNumber && have.OperationIndex == op.OperationIndex {
				s.ops[i] = op // replace: a retried transaction completes its operations
				continue next
			}
		}
		s.ops = append(s.ops, op)
	}
	return nil
}
func (s *observerMemoryStore) PutTransaction(_ context.Context, tx Transaction) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.transactions = append(s.transactions, tx.Number)
	return nil
}
func (s *observerMemoryStore) GetUnresolvable(_ context.Context, n uint64) (Unresolvable, bool, error) {
	u, ok := s.unresolvable[n]
	return u, ok, nil
}
func (s *observerMemoryStore) PutUnresolvable(_ context.Context, u Unresolvable) error {
	if s.unresolvable == nil {
		s.unresolvable = map[uint64]Unresolvable{}
	}
	s.unresolvable[u.Transaction.Number] = u
	return nil
}
func (s *observerMemoryStore) DueUnresolvable(_ context.Context, now time.Time, limit int) ([]Unresolvable, error) {
	var due []Unresolvable
	for _, u := range s.unresolvable {
		if !u.NextRetry.After(now) {
			due = append(due, u)
		}
	}
	sort.Slice(due, func(i, j int) bool { return due[i].NextRetry.Before(due[j].NextRetry) })
	if len(due) > limit {
		due = due[:limit]
	}
	return due, nil
}
func (s *observerMemoryStore) RemoveUnresolvable(_ context.Context, n uint64) error {
	delete(s.unresolvable, n)
	return nil
}
func (s *observerMemoryStore) RollbackAfter(_ context.Context, n uint64) error {
	kept := s.ops[:0]
	for _, op := range s.ops {
		if op.TransactionNumber <= n {
			kept = append(kept, op)
		}
	}
	s.ops = kept
	return nil
}

// scriptedProcessor answers per transaction number; unavailable numbers fail until released.
type scriptedProcessor struct {
	mu          sync.Mutex
	unavailable map[uint64]bool
	invalid     map[uint64]bool
	partial     map[uint64]bool // the chunk file is missing: core operations only, retry later
}

func (p *scriptedProcessor) Operations(_ context.Context, tx Transaction) ([]sidetree.AnchoredOperation, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.unavailable[tx.Number] {
		return nil, ErrFilesUnavailable
	}
	if p.invalid[tx.Number] {
		return nil, errors.New("core index file is not JSON")
	}
	if p.partial[tx.Number] {
		return []sidetree.AnchoredOperation{{Type: sidetree.OpCreate, DIDSuffix: "s", TransactionNumber: tx.Number, Raw: []byte("core")}}, ErrFilesUnavailable
	}
	return []sidetree.AnchoredOperation{{Type: sidetree.OpCreate, DIDSuffix: "s", TransactionNumber: tx.Number}}, nil
}

func TestObserverStoresInOrderAndRetries(t *testing.T) {
	store := &observerMemoryStore{}
	proc := &scriptedProcessor{unavailable: map[uint64]bool{2000001: true}, invalid: map[uint64]bool{2000002: true}}
	now := time.Unix(1_700_000_000, 0)
	o := &Observer{Store: store, Processor: proc, MaxConcurrentDownloads: 3, RetryBase: time.Minute, Now: func() time.Time { return now }}
	var txs []Transaction
	for i := uint64(0); i < 10; i++ {
		txs = append(txs, Transaction{Number: 2000000 + i, Time: 2})
	}
	if _, err := o.ProcessTransactions(context.Background(), txs); err != nil {
		t.Fatal(err)
	}
	for i, n := range store.transactions {
		if n != 2000000+uint64(i) {
			t.Fatalf("transactions recorded out of order: %v", store.transactions)
		}
	}
	if len(store.ops) != 8 {
		t.Fatalf("%d operations stored, want 8 (one unavailable, one invalid)", len(store.ops))
	}
	u := store.unresolvable[2000001]
	if u.Attempts != 1 || !u.NextRetry.Equal(now.Add(time.Minute)) {
		t.Fatalf("unresolvable record %+v", u)
	}
	// Not due yet: nothing retried.
	if n, err := o.RetryUnresolvable(context.Background(), 10); err != nil || n != 0 {
		t.Fatalf("retry before due: %d %v", n, err)
	}
	// Due, still unavailable: the backoff doubles from the first fetch.
	now = now.Add(time.Minute)
	if _, err := o.RetryUnresolvable(context.Background(), 10); err != nil {
		t.Fatal(err)
	}
	if u := store.unresolvable[2000001]; u.Attempts != 2 || !u.NextRetry.Equal(u.FirstFetch.Add(2*time.Minute)) {
		t.Fatalf("second attempt %+v", u)
	}
	// Files appear: the operations are stored with their original transaction number.
	proc.unavailable = nil
	now = now.Add(time.Hour)
	if n, err := o.RetryUnresolvable(context.Background(), 10); err != nil || n != 1 {
		t.Fatalf("retry after files appear: %d %v", n, err)
	}
	if len(store.unresolvable) != 0 || store.ops[len(store.ops)-1].TransactionNumber != 2000001 {
		t.Fatalf("resolved transaction not stored: %v", store.ops)
	}
	if err := o.Rollback(context.Background(), 2000004); err != nil {
		t.Fatal(err)
	}
	for _, op := range store.ops {
		if op.TransactionNumber > 2000004 {
			t.Fatalf("rollback kept %d", op.TransactionNumber)
		}
	}
}

func TestObserverStoresPartialTransactionsAndCompletesThem(t *testing.T) {
	store := &observerMemoryStore{}
	proc := &scriptedProcessor{partial: map[uint64]bool{5: true}}
	now := time.Unix(1_700_000_000, 0)
	o := &Observer{Store: store, Processor: proc, Now: func() time.Time { return now }}
	if _, err := o.ProcessTransactions(context.Background(), []Transaction{{Number: 5}}); err != nil {
		t.Fatal(err)
	}
	if len(store.ops) != 1 || string(store.ops[0].Raw) != "core" || len(store.unresolvable) != 1 {
		t.Fatalf("core operations not stored with a retry: %+v %v", store.ops, store.unresolvable)
	}
	proc.partial = nil
	now = now.Add(time.Hour)
	if n, err := o.RetryUnresolvable(context.Background(), 10); n != 1 || err != nil {
		t.Fatalf("retry: %d %v", n, err)
	}
	if len(store.ops) != 1 || string(store.ops[0].Raw) != "" || len(store.unresolvable) != 0 {
		t.Errorf("retry did not replace the partial operation: %+v", store.ops)
	}
}
