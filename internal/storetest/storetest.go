package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

// Open returns a new, empty store; it registers the store's cleanup on t.
type Open func(t *testing.T) store.Store

// Run runs the conformance suite.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, Open)
	}{
		{"Operations", testOperations},
		{"Idempotency", testIdempotency},
		{"Replacement", testReplacement},
		{"Verdicts", testVerdicts},
		{"BackfillVerdicts", testBackfillVerdicts},
		{"Generations", testGenerations},
		{"StateCache", testStateCache},
		{"Transactions", testTransactions},
		{"TransactionsBefore", testTransactionsBefore},
		{"OperationCounts", testOperationCounts},
		{"Cursor", testCursor},
		{"Rollback", testRollback},
		{"Unresolvable", testUnresolvable},
		{"QueueFIFO", testQueueFIFO},
		{"QueueBatches", testQueueBatches},
		{"QueueConcurrentTakers", testQueueConcurrentTakers},
		{"Wallet", testWallet},
		{"Sessions", testSessions},
		{"SessionsConcurrentSwap", testSessionsConcurrentSwap},
		{"StateHash", testStateHash},
		{"ConcurrentReaders", testConcurrentReaders},
		{"CanceledContext", testCanceledContext},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

func ctxFor(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// Op builds a deterministic anchored operation; the raw body names its position so that mixing up
// records shows.
func Op(suffix string, txnum uint64, index uint32) sidetree.AnchoredOperation {
	types := []sidetree.OperationType{sidetree.OpCreate, sidetree.OpUpdate, sidetree.OpRecover, sidetree.OpDeactivate}
	return sidetree.AnchoredOperation{
		Type:              types[(txnum+uint64(index))%4],
		DIDSuffix:         suffix,
		Raw:               fmt.Appendf(nil, `{"didSuffix":%q,"tx":%d,"index":%d}`, suffix, txnum, index),
		TransactionNumber: txnum,
		TransactionTime:   txnum / 1_000_000,
		OperationIndex:    index,
	}
}

// sortOps orders operations as the log does.
func sortOps(ops []sidetree.AnchoredOperation) []sidetree.AnchoredOperation {
	out := slices.Clone(ops)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.DIDSuffix != b.DIDSuffix {
			return a.DIDSuffix < b.DIDSuffix
		}
		if a.TransactionNumber != b.TransactionNumber {
			return a.TransactionNumber < b.TransactionNumber
		}
		return a.OperationIndex < b.OperationIndex
	})
	return out
}

func bySuffix(ops []sidetree.AnchoredOperation, suffix string) []sidetree.AnchoredOperation {
	var out []sidetree.AnchoredOperation
	for _, op := range sortOps(ops) {
		if op.DIDSuffix == suffix {
			out = append(out, op)
		}
	}
	return out
}

func mustPut(t *testing.T, s store.Store, ops ...sidetree.AnchoredOperation) {
	t.Helper()
	if err := s.PutOperations(ctxFor(t), ops); err != nil {
		t.Fatalf("PutOperations: %v", err)
	}
}

func mustOps(t *testing.T, s store.Store, suffix string) ([]sidetree.AnchoredOperation, uint64) {
	t.Helper()
	ops, gen, err := s.Operations(ctxFor(t), suffix)
	if err != nil {
		t.Fatalf("Operations(%s): %v", suffix, err)
	}
	// Every generation the suite checks is checked through Generation too.
	if alone, err := s.Generation(ctxFor(t), suffix); err != nil || alone != gen {
		t.Fatalf("Generation(%s) = %d, %v; Operations says %d", suffix, alone, err, gen)
	}
	return ops, gen
}

func checkOps(t *testing.T, s store.Store, suffix string, want []sidetree.AnchoredOperation) uint64 {
	t.Helper()
	got, gen := mustOps(t, s, suffix)
	if len(got) == 0 && len(want) == 0 {
		return gen
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Operations(%s):\n got %s\nwant %s", suffix, describe(got), describe(want))
	}
	return gen
}

func describe(ops []sidetree.AnchoredOperation) string {
	var b bytes.Buffer
	for _, op := range ops {
		fmt.Fprintf(&b, "[%s %d.%d %s t=%d %s] ", op.DIDSuffix, op.TransactionNumber, op.OperationIndex, op.Type, op.TransactionTime, op.Raw)
	}
	return b.String()
}

func testOperations(t *testing.T, open Open) {
	s := open(t)
	ops := []sidetree.AnchoredOperation{
		Op("did-b", 2_000_001, 3),
		Op("did-a", 2_000_001, 1),
		Op("did-a", 1_000_000, 7), // earlier transaction, later index
		Op("did-a", 2_000_001, 0), // same transaction, lower index
		Op("did-a", 3_000_000, 0),
		Op("did-ab", 1_000_000, 0), // shares a prefix with did-a
		Op("did-a", 2_000_000, 9),
	}
	// Written in three calls, out of order.
	mustPut(t, s, ops[:2]...)
	mustPut(t, s, ops[2:5]...)
	mustPut(t, s, ops[5:]...)
	for _, suffix := range []string{"did-a", "did-ab", "did-b"} {
		checkOps(t, s, suffix, bySuffix(ops, suffix))
	}
	if _, gen := mustOps(t, s, "did-unknown"); gen != 0 {
		t.Errorf("generation of an unknown DID = %d, want 0", gen)
	}
	if got, _ := mustOps(t, s, "did-"); len(got) != 0 {
		t.Errorf("a prefix of stored suffixes returned operations: %s", describe(got))
	}
	// Large raw bodies and an empty call.
	big := Op("did-big", 5_000_000, 0)
	big.Raw = bytes.Repeat([]byte("x"), 200_000)
	mustPut(t, s, big)
	mustPut(t, s)
	checkOps(t, s, "did-big", []sidetree.AnchoredOperation{big})
}

// testReplacement: storing an operation again at the same (DID, transaction, index) replaces it, as the
// reference's insertOrReplace does. The observer relies on it: a transaction whose later files were
// unavailable stores its operations without their deltas and stores them complete when a retry succeeds.
func testReplacement(t *testing.T, open Open) {
	s := open(t)
	partial := Op("did-r", 1_000_000, 0)
	mustPut(t, s, partial)
	_, gen := mustOps(t, s, "did-r")
	complete := partial
	complete.Raw = []byte(`{"complete":true}`)
	mustPut(t, s, complete)
	if got := checkOps(t, s, "did-r", []sidetree.AnchoredOperation{complete}); got == gen {
		t.Errorf("generation %d unchanged by a replacement", got)
	}
}

func testIdempotency(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	tx := node.Transaction{Number: 1_000_002, Time: 1, TimeHash: "h1", AnchorString: "3.QmA", FeePaid: 10, NormalizedFee: 5, Writer: "w"}
	ops := []sidetree.AnchoredOperation{Op("did-a", tx.Number, 0), Op("did-b", tx.Number, 1), Op("did-a", tx.Number, 2)}
	if err := s.PutProcessed(ctx, tx, ops, []byte("cursor-1")); err != nil {
		t.Fatal(err)
	}
	before, err := s.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A replay after a crash: the operations again (partly, then fully), the transaction again.
	mustPut(t, s, ops[1])
	mustPut(t, s, ops...)
	if err := s.PutProcessed(ctx, tx, ops, []byte("cursor-1")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	after, err := s.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("state hash changed by a replay")
	}
	checkOps(t, s, "did-a", bySuffix(ops, "did-a"))
	checkOps(t, s, "did-b", bySuffix(ops, "did-b"))
	txs, err := s.TransactionsAfter(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(txs, []node.Transaction{tx}) {
		t.Errorf("transactions after replay = %+v", txs)
	}
}

func testGenerations(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	seen := map[uint64]bool{}
	step := func(what string, fn func()) {
		t.Helper()
		_, a0 := mustOps(t, s, "did-a")
		_, b0 := mustOps(t, s, "did-b")
		fn()
		_, a1 := mustOps(t, s, "did-a")
		_, b1 := mustOps(t, s, "did-b")
		if a1 == a0 || seen[a1] {
			t.Fatalf("%s: generation of did-a went %d → %d (seen before: %v)", what, a0, a1, seen[a1])
		}
		if b1 != b0 {
			t.Fatalf("%s: generation of untouched did-b changed %d → %d", what, b0, b1)
		}
		seen[a0], seen[a1] = true, true
	}
	mustPut(t, s, Op("did-b", 500_000, 0)) // before every rollback point
	step("first insert", func() { mustPut(t, s, Op("did-a", 1_000_000, 1)) })
	step("second insert", func() { mustPut(t, s, Op("did-a", 2_000_000, 0)) })
	step("insert in the past", func() { mustPut(t, s, Op("did-a", 1_500_000, 0)) })
	step("rollback", func() {
		if err := s.RollbackAfter(ctx, 1_900_000); err != nil {
			t.Fatal(err)
		}
	})
	step("insert after rollback", func() { mustPut(t, s, Op("did-a", 2_000_000, 0)) })
	step("rollback of everything", func() {
		if err := s.RollbackAfter(ctx, 1_400_000); err != nil {
			t.Fatal(err)
		}
		if err := s.RollbackAfter(ctx, 1_000_000); err != nil {
			t.Fatal(err)
		}
	})
	_, gen := mustOps(t, s, "did-a")
	step("rollback removing the last operation", func() {
		if err := s.RollbackAfter(ctx, 999_999); err != nil {
			t.Fatal(err)
		}
	})
	if _, g := mustOps(t, s, "did-a"); g == 0 || g == gen {
		t.Errorf("a DID whose operations were all rolled back must keep a fresh nonzero generation, got %d", g)
	}
}

func testStateCache(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	cached := func(suffix string) ([]byte, bool) {
		t.Helper()
		data, ok, err := s.CachedState(ctx, suffix)
		if err != nil {
			t.Fatalf("CachedState: %v", err)
		}
		return data, ok
	}
	cache := func(suffix string, gen uint64, data []byte) {
		t.Helper()
		if err := s.CacheState(ctx, suffix, gen, data); err != nil {
			t.Fatalf("CacheState: %v", err)
		}
	}
	if _, ok := cached("did-a"); ok {
		t.Fatal("state cached before anything was stored")
	}
	mustPut(t, s, Op("did-a", 1_000_000, 0), Op("did-b", 1_000_000, 1))
	_, gen := mustOps(t, s, "did-a")
	_, genB := mustOps(t, s, "did-b")
	cache("did-a", gen, []byte("state-1"))
	cache("did-b", genB, nil) // "no valid create" is cached as empty data
	if data, ok := cached("did-a"); !ok || string(data) != "state-1" {
		t.Fatalf("CachedState = %q, %v; want state-1", data, ok)
	}
	if data, ok := cached("did-b"); !ok || len(data) != 0 {
		t.Fatalf("empty cached state = %q, %v; want empty, true", data, ok)
	}
	// A resolver that read the log before the observer stored an operation caches at the old generation:
	// that state must never be served.
	mustPut(t, s, Op("did-a", 2_000_000, 0))
	if _, ok := cached("did-a"); ok {
		t.Fatal("cached state served after the DID's operations changed")
	}
	cache("did-a", gen, []byte("stale"))
	if data, ok := cached("did-a"); ok {
		t.Fatalf("state cached at a stale generation is served: %q", data)
	}
	_, gen2 := mustOps(t, s, "did-a")
	cache("did-a", gen2, []byte("state-2"))
	if data, ok := cached("did-a"); !ok || string(data) != "state-2" {
		t.Fatalf("CachedState = %q, %v; want state-2", data, ok)
	}
	// A rollback touching did-a drops its cache; did-b's stays.
	if err := s.RollbackAfter(ctx, 1_000_000); err != nil {
		t.Fatal(err)
	}
	if _, ok := cached("did-a"); ok {
		t.Fatal("cached state survives a rollback of the DID's operations")
	}
	cache("did-a", gen2, []byte("stale-after-rollback"))
	if _, ok := cached("did-a"); ok {
		t.Fatal("state cached at the generation before a rollback is served")
	}
	if _, ok := cached("did-b"); !ok {
		t.Fatal("rollback dropped the cache of an untouched DID")
	}
}

func testTransactions(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	if _, ok, err := s.LastTransaction(ctx); err != nil || ok {
		t.Fatalf("LastTransaction on an empty store = %v, %v", ok, err)
	}
	var txs []node.Transaction
	for i, n := range []uint64{3_000_000, 1_000_005, 2_000_000, 1_000_000, 2_000_001} {
		tx := node.Transaction{Number: n, Time: n / 1_000_000, TimeHash: fmt.Sprintf("hash-%d", i), AnchorString: fmt.Sprintf("%d.QmX", i+1), FeePaid: uint64(1000 * i), NormalizedFee: 77, Writer: "writer"}
		txs = append(txs, tx)
		if i%2 == 0 {
			if err := s.PutTransaction(ctx, tx); err != nil {
				t.Fatal(err)
			}
		} else if err := s.PutProcessed(ctx, tx, []sidetree.AnchoredOperation{Op("did-t", n, 0)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	sort.Slice(txs, func(i, j int) bool { return txs[i].Number < txs[j].Number })
	last, ok, err := s.LastTransaction(ctx)
	if err != nil || !ok || !reflect.DeepEqual(last, txs[len(txs)-1]) {
		t.Fatalf("LastTransaction = %+v, %v, %v", last, ok, err)
	}
	tests := []struct {
		after uint64
		limit int
		want  []node.Transaction
	}{
		{0, 100, txs},
		{0, 2, txs[:2]},
		{1_000_000, 100, txs[1:]},
		{1_000_004, 2, txs[1:3]},
		{3_000_000, 10, nil},
		{^uint64(0), 10, nil},
		{0, 0, nil},
	}
	for _, tc := range tests {
		got, err := s.TransactionsAfter(ctx, tc.after, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("TransactionsAfter(%d, %d) = %+v, want %+v", tc.after, tc.limit, got, tc.want)
		}
	}
	checkOps(t, s, "did-t", []sidetree.AnchoredOperation{Op("did-t", 1_000_000, 0), Op("did-t", 1_000_005, 0)})
}

func testTransactionsBefore(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	if got, err := s.TransactionsBefore(ctx, ^uint64(0), 10); err != nil || len(got) != 0 {
		t.Fatalf("TransactionsBefore on an empty store = %+v, %v", got, err)
	}
	var txs []node.Transaction // highest first once sorted
	for i, n := range []uint64{2_000_001, 1_000_000, 3_000_000, 1_000_005, 2_000_000} {
		tx := node.Transaction{Number: n, Time: n / 1_000_000, TimeHash: fmt.Sprintf("hash-%d", i), AnchorString: fmt.Sprintf("%d.QmY", i+1), FeePaid: uint64(10 * i), Writer: "w"}
		txs = append(txs, tx)
		if err := s.PutTransaction(ctx, tx); err != nil {
			t.Fatal(err)
		}
	}
	sort.Slice(txs, func(i, j int) bool { return txs[i].Number > txs[j].Number })
	tests := []struct {
		before uint64
		limit  int
		want   []node.Transaction
	}{
		{^uint64(0), 100, txs},
		{1 << 63, 100, txs},
		{^uint64(0), 2, txs[:2]},
		{3_000_000, 100, txs[1:]},
		{3_000_001, 1, txs[:1]},
		{2_000_000, 2, txs[3:]},
		{1_000_000, 10, nil},
		{0, 10, nil},
		{^uint64(0), 0, nil},
	}
	for _, tc := range tests {
		got, err := s.TransactionsBefore(ctx, tc.before, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("TransactionsBefore(%d, %d) = %+v, want %+v", tc.before, tc.limit, got, tc.want)
		}
	}
	if err := s.RollbackAfter(ctx, 2_000_000); err != nil {
		t.Fatal(err)
	}
	if got, err := s.TransactionsBefore(ctx, ^uint64(0), 100); err != nil || !reflect.DeepEqual(got, txs[2:]) {
		t.Errorf("TransactionsBefore after a rollback = %+v, %v, want %+v", got, err, txs[2:])
	}
}

func testOperationCounts(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	var ops []sidetree.AnchoredOperation
	want := map[sidetree.OperationType]int{}
	for i := range uint32(11) {
		op := Op(fmt.Sprintf("did-c%d", i%5), 5_000_000, i)
		ops = append(ops, op)
		want[op.Type]++
	}
	// Neighbours on both sides must not be counted.
	mustPut(t, s, append(ops, Op("did-c0", 4_999_999, 0), Op("did-c1", 5_000_001, 0))...)
	tests := []struct {
		number uint64
		want   map[sidetree.OperationType]int
	}{
		{5_000_000, want},
		{4_999_999, map[sidetree.OperationType]int{Op("", 4_999_999, 0).Type: 1}},
		{6_000_000, map[sidetree.OperationType]int{}},
		{0, map[sidetree.OperationType]int{}},
		{^uint64(0), map[sidetree.OperationType]int{}},
	}
	for _, tc := range tests {
		got, err := s.OperationCounts(ctx, tc.number)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("OperationCounts(%d) = %v, want %v", tc.number, got, tc.want)
		}
	}
	if err := s.RollbackAfter(ctx, 4_999_999); err != nil {
		t.Fatal(err)
	}
	if got, err := s.OperationCounts(ctx, 5_000_000); err != nil || len(got) != 0 {
		t.Errorf("OperationCounts after a rollback = %v, %v, want none", got, err)
	}
}

func testCursor(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	if c, err := s.Cursor(ctx); err != nil || c != nil {
		t.Fatalf("Cursor on an empty store = %q, %v", c, err)
	}
	if err := s.PutCursor(ctx, []byte{0, 1, 2, 0xff}); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Cursor(ctx); err != nil || !bytes.Equal(c, []byte{0, 1, 2, 0xff}) {
		t.Fatalf("Cursor = %x, %v", c, err)
	}
	tx := node.Transaction{Number: 7_000_000, AnchorString: "1.QmC"}
	if err := s.PutProcessed(ctx, tx, []sidetree.AnchoredOperation{Op("did-c", tx.Number, 0)}, []byte("after-7")); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Cursor(ctx); string(c) != "after-7" {
		t.Fatalf("Cursor after PutProcessed = %q", c)
	}
	// A nil cursor leaves the stored one alone.
	if err := s.PutProcessed(ctx, node.Transaction{Number: 7_000_001}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Cursor(ctx); string(c) != "after-7" {
		t.Fatalf("Cursor after PutProcessed without cursor = %q", c)
	}
	if last, _, _ := s.LastTransaction(ctx); last.Number != 7_000_001 {
		t.Fatalf("LastTransaction = %d, want 7000001", last.Number)
	}
}

func testRollback(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	var all []sidetree.AnchoredOperation
	for _, n := range []uint64{1_000_000, 1_000_001, 2_000_000, 2_000_003, 3_000_000} {
		ops := []sidetree.AnchoredOperation{Op("did-a", n, 0), Op("did-b", n, 1)}
		if n >= 2_000_003 {
			ops = append(ops, Op("did-c", n, 2))
		}
		all = append(all, ops...)
		if err := s.PutProcessed(ctx, node.Transaction{Number: n}, ops, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []uint64{1_000_002, 2_000_004} {
		u := node.Unresolvable{Transaction: node.Transaction{Number: n}, Attempts: 1, FirstFetch: time.Unix(100, 0), NextRetry: time.Unix(160, 0)}
		if err := s.PutUnresolvable(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	_, genD := mustOps(t, s, "did-d")
	mustPut(t, s, Op("did-d", 1_000_000, 5))
	_, genD = mustOps(t, s, "did-d")
	if err := s.CacheState(ctx, "did-d", genD, []byte("d")); err != nil {
		t.Fatal(err)
	}
	if err := s.RollbackAfter(ctx, 2_000_000); err != nil {
		t.Fatal(err)
	}
	var kept []sidetree.AnchoredOperation
	for _, op := range all {
		if op.TransactionNumber <= 2_000_000 {
			kept = append(kept, op)
		}
	}
	checkOps(t, s, "did-a", bySuffix(kept, "did-a"))
	checkOps(t, s, "did-b", bySuffix(kept, "did-b"))
	checkOps(t, s, "did-c", nil)
	if _, g := mustOps(t, s, "did-d"); g != genD {
		t.Errorf("rollback changed the generation of an untouched DID")
	}
	if _, ok, _ := s.CachedState(ctx, "did-d"); !ok {
		t.Errorf("rollback dropped the cached state of an untouched DID")
	}
	last, ok, err := s.LastTransaction(ctx)
	if err != nil || !ok || last.Number != 2_000_000 {
		t.Fatalf("LastTransaction after rollback = %d, %v, %v", last.Number, ok, err)
	}
	if txs, _ := s.TransactionsAfter(ctx, 2_000_000, 10); len(txs) != 0 {
		t.Errorf("transactions after the rollback point survive: %+v", txs)
	}
	if _, found, _ := s.GetUnresolvable(ctx, 2_000_004); found {
		t.Errorf("unresolvable transaction after the rollback point survives")
	}
	if _, found, _ := s.GetUnresolvable(ctx, 1_000_002); !found {
		t.Errorf("unresolvable transaction before the rollback point was removed")
	}
	due, err := s.DueUnresolvable(ctx, time.Unix(1000, 0), 10)
	if err != nil || len(due) != 1 || due[0].Transaction.Number != 1_000_002 {
		t.Errorf("DueUnresolvable after rollback = %+v, %v", due, err)
	}
	// Re-ingesting the rolled-back transactions (the chain chose them again) restores the log.
	for _, op := range all {
		if op.TransactionNumber > 2_000_000 {
			mustPut(t, s, op)
		}
	}
	checkOps(t, s, "did-c", bySuffix(all, "did-c"))
	// Rolling back past everything empties the log; rolling back at the end changes nothing.
	if err := s.RollbackAfter(ctx, ^uint64(0)); err != nil {
		t.Fatal(err)
	}
	checkOps(t, s, "did-c", bySuffix(all, "did-c"))
	if err := s.RollbackAfter(ctx, 0); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"did-a", "did-b", "did-c", "did-d"} {
		checkOps(t, s, suffix, nil)
	}
	if _, ok, _ := s.LastTransaction(ctx); ok {
		t.Errorf("transactions survive a rollback after 0")
	}
}

func testUnresolvable(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	if _, found, err := s.GetUnresolvable(ctx, 5); err != nil || found {
		t.Fatalf("GetUnresolvable on an empty store = %v, %v", found, err)
	}
	base := time.Unix(1_700_000_000, 123_456_789) // nanoseconds must survive
	mk := func(n uint64, attempts int, retryIn time.Duration) node.Unresolvable {
		return node.Unresolvable{
			Transaction: node.Transaction{Number: n, Time: n / 1_000_000, TimeHash: "h", AnchorString: "2.QmU", FeePaid: 3, NormalizedFee: 2, Writer: "w"},
			Attempts:    attempts,
			FirstFetch:  base,
			NextRetry:   base.Add(retryIn),
		}
	}
	records := []node.Unresolvable{
		mk(3_000_000, 1, 3*time.Minute),
		mk(1_000_000, 2, 1*time.Minute),
		mk(2_000_000, 1, 2*time.Minute),
		mk(4_000_000, 1, 2*time.Minute), // same retry time as 2_000_000
		mk(5_000_000, 1, time.Hour),
	}
	for _, u := range records {
		if err := s.PutUnresolvable(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	got, found, err := s.GetUnresolvable(ctx, 1_000_000)
	if err != nil || !found || !sameUnresolvable(got, records[1]) {
		t.Fatalf("GetUnresolvable = %+v, %v, %v; want %+v", got, found, err, records[1])
	}
	numbers := func(us []node.Unresolvable) []uint64 {
		var out []uint64
		for _, u := range us {
			out = append(out, u.Transaction.Number)
		}
		return out
	}
	tests := []struct {
		now   time.Time
		limit int
		want  []uint64
	}{
		{base, 10, nil},
		{base.Add(time.Minute), 10, []uint64{1_000_000}}, // due exactly now
		{base.Add(time.Minute - time.Nanosecond), 10, nil},
		{base.Add(2 * time.Minute), 10, []uint64{1_000_000, 2_000_000, 4_000_000}},
		{base.Add(10 * time.Minute), 2, []uint64{1_000_000, 2_000_000}},
		{base.Add(10 * time.Minute), 0, nil},
		{base.Add(24 * time.Hour), 10, []uint64{1_000_000, 2_000_000, 4_000_000, 3_000_000, 5_000_000}},
	}
	for _, tc := range tests {
		due, err := s.DueUnresolvable(ctx, tc.now, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(numbers(due), tc.want) {
			t.Errorf("DueUnresolvable(+%v, %d) = %v, want %v", tc.now.Sub(base), tc.limit, numbers(due), tc.want)
		}
	}
	due, _ := s.DueUnresolvable(ctx, base.Add(time.Minute), 10)
	if len(due) != 1 || !sameUnresolvable(due[0], records[1]) {
		t.Errorf("DueUnresolvable record = %+v, want %+v", due, records[1])
	}
	// Another failed attempt reschedules: the old retry time no longer lists it.
	u := records[1]
	u.Attempts = 3
	u.NextRetry = base.Add(30 * time.Minute)
	if err := s.PutUnresolvable(ctx, u); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueUnresolvable(ctx, base.Add(2*time.Minute), 10); !slices.Equal(numbers(due), []uint64{2_000_000, 4_000_000}) {
		t.Errorf("after rescheduling, due = %v", numbers(due))
	}
	if got, _, _ := s.GetUnresolvable(ctx, 1_000_000); !sameUnresolvable(got, u) {
		t.Errorf("rescheduled record = %+v, want %+v", got, u)
	}
	if err := s.RemoveUnresolvable(ctx, 2_000_000); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveUnresolvable(ctx, 2_000_000); err != nil {
		t.Fatalf("removing an absent record: %v", err)
	}
	if _, found, _ := s.GetUnresolvable(ctx, 2_000_000); found {
		t.Error("removed record still found")
	}
	if due, _ := s.DueUnresolvable(ctx, base.Add(24*time.Hour), 10); !slices.Equal(numbers(due), []uint64{4_000_000, 3_000_000, 1_000_000, 5_000_000}) {
		t.Errorf("after removal, due = %v", numbers(due))
	}
}

func sameUnresolvable(a, b node.Unresolvable) bool {
	return a.Transaction == b.Transaction && a.Attempts == b.Attempts && a.FirstFetch.Equal(b.FirstFetch) && a.NextRetry.Equal(b.NextRetry)
}

func enqueue(t *testing.T, s store.Store, suffix string) {
	t.Helper()
	if err := s.Enqueue(ctxFor(t), suffix, sidetree.OpUpdate, []byte(`{"op":"`+suffix+`"}`)); err != nil {
		t.Fatalf("Enqueue(%s): %v", suffix, err)
	}
}

func suffixes(ops []store.QueuedOperation) []string {
	var out []string
	for _, op := range ops {
		out = append(out, op.DIDSuffix)
	}
	return out
}

func depth(t *testing.T, s store.Store) int {
	t.Helper()
	n, err := s.QueueDepth(ctxFor(t))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func take(t *testing.T, s store.Store, max int) []store.QueuedOperation {
	t.Helper()
	ops, err := s.TakeBatch(ctxFor(t), max)
	if err != nil {
		t.Fatalf("TakeBatch: %v", err)
	}
	return ops
}

func testQueueFIFO(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	if ops := take(t, s, 10); len(ops) != 0 {
		t.Fatalf("TakeBatch on an empty queue = %v", suffixes(ops))
	}
	before := time.Now().Add(-time.Second)
	for _, suffix := range []string{"q3", "q1", "q2", "q5", "q4"} {
		enqueue(t, s, suffix)
	}
	err := s.Enqueue(ctx, "q1", sidetree.OpRecover, []byte("{}"))
	if !errors.Is(err, node.ErrAlreadyQueued) {
		t.Fatalf("second operation for a DID: err = %v, want ErrAlreadyQueued", err)
	}
	if n := depth(t, s); n != 5 {
		t.Fatalf("QueueDepth = %d, want 5", n)
	}
	ops := take(t, s, 2)
	if got := suffixes(ops); !slices.Equal(got, []string{"q3", "q1"}) {
		t.Fatalf("first batch = %v, want [q3 q1]", got)
	}
	op := ops[0]
	if op.Type != sidetree.OpUpdate || string(op.Request) != `{"op":"q3"}` || op.BatchID == "" || op.Enqueued.Before(before) || op.Enqueued.After(time.Now().Add(time.Second)) {
		t.Fatalf("queued operation = %+v", op)
	}
	if ops[1].BatchID != op.BatchID || ops[1].Seq <= op.Seq {
		t.Fatalf("batch ids %q/%q, seqs %d/%d", op.BatchID, ops[1].BatchID, op.Seq, ops[1].Seq)
	}
	// In flight still counts as queued for the one-operation-per-DID rule.
	if err := s.Enqueue(ctx, "q3", sidetree.OpUpdate, nil); !errors.Is(err, node.ErrAlreadyQueued) {
		t.Fatalf("enqueue for a DID in flight: err = %v, want ErrAlreadyQueued", err)
	}
	if n := depth(t, s); n != 3 {
		t.Fatalf("QueueDepth with 2 in flight = %d, want 3", n)
	}
	rest := take(t, s, 100)
	if got := suffixes(rest); !slices.Equal(got, []string{"q2", "q5", "q4"}) {
		t.Fatalf("second batch = %v", got)
	}
	if rest[0].BatchID == op.BatchID {
		t.Fatal("two batches share an id")
	}
	if n := depth(t, s); n != 0 {
		t.Fatalf("QueueDepth = %d, want 0", n)
	}
}

func testQueueBatches(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	for _, suffix := range []string{"a", "b", "c", "d"} {
		enqueue(t, s, suffix)
	}
	first := take(t, s, 2)  // a b
	second := take(t, s, 1) // c
	enqueue(t, s, "e")
	inflight, err := s.InFlight(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := suffixes(inflight); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("InFlight = %v", got)
	}
	if inflight[2].BatchID != second[0].BatchID || inflight[0].BatchID != first[0].BatchID {
		t.Fatalf("InFlight batch ids wrong: %+v", inflight)
	}
	// The first anchoring failed: its operations go back to the front, in their order, before d and e.
	if err := s.ReturnBatch(ctx, first[0].BatchID); err != nil {
		t.Fatal(err)
	}
	if err := s.ReturnBatch(ctx, first[0].BatchID); !errors.Is(err, store.ErrBatchNotFound) {
		t.Fatalf("returning a batch twice: err = %v, want ErrBatchNotFound", err)
	}
	if n := depth(t, s); n != 4 {
		t.Fatalf("QueueDepth after return = %d, want 4", n)
	}
	// The second was confirmed: c is gone and its DID may queue again.
	if err := s.CompleteBatch(ctx, second[0].BatchID); err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteBatch(ctx, second[0].BatchID); !errors.Is(err, store.ErrBatchNotFound) {
		t.Fatalf("completing a batch twice: err = %v, want ErrBatchNotFound", err)
	}
	if err := s.CompleteBatch(ctx, "no-such-batch"); !errors.Is(err, store.ErrBatchNotFound) {
		t.Fatalf("completing an unknown batch: err = %v, want ErrBatchNotFound", err)
	}
	enqueue(t, s, "c")
	all := take(t, s, 100)
	if got := suffixes(all); !slices.Equal(got, []string{"a", "b", "d", "e", "c"}) {
		t.Fatalf("queue after return and complete = %v, want [a b d e c]", got)
	}
	if string(all[0].Request) != `{"op":"a"}` {
		t.Fatalf("returned operation lost its request: %q", all[0].Request)
	}
	if err := s.CompleteBatch(ctx, all[0].BatchID); err != nil {
		t.Fatal(err)
	}
	if inflight, _ := s.InFlight(ctx); len(inflight) != 0 {
		t.Fatalf("InFlight after completion = %v", suffixes(inflight))
	}
	if n := depth(t, s); n != 0 {
		t.Fatalf("QueueDepth = %d, want 0", n)
	}
	for _, suffix := range []string{"a", "b", "c", "d", "e"} {
		enqueue(t, s, suffix)
	}
}

func testQueueConcurrentTakers(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	const n = 60
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	// Concurrent enqueues of the same DIDs: exactly one wins each.
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < n; i++ {
				err := s.Enqueue(ctx, fmt.Sprintf("c%03d", i), sidetree.OpCreate, []byte("{}"))
				if err != nil && !errors.Is(err, node.ErrAlreadyQueued) {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	if d := depth(t, s); d != n {
		t.Fatalf("QueueDepth after concurrent enqueues = %d, want %d", d, n)
	}
	var mu sync.Mutex
	seen := map[string]string{}
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ops, err := s.TakeBatch(ctx, 7)
				if err != nil {
					errs <- err
					return
				}
				if len(ops) == 0 {
					return
				}
				mu.Lock()
				for _, op := range ops {
					if prev, dup := seen[op.DIDSuffix]; dup {
						errs <- fmt.Errorf("%s taken by batches %s and %s", op.DIDSuffix, prev, op.BatchID)
					}
					seen[op.DIDSuffix] = op.BatchID
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(seen) != n {
		t.Errorf("%d operations taken, want %d", len(seen), n)
	}
}

func testWallet(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	utxos := []store.UTXO{
		{Outpoint: store.Outpoint{TxID: "bb", Vout: 0}, Value: 5000, PkScript: []byte{0x00, 0x14, 1, 2}, Height: 100},
		{Outpoint: store.Outpoint{TxID: "aa", Vout: 1}, Value: 1, PkScript: []byte{0x51}, Height: 0},
		{Outpoint: store.Outpoint{TxID: "aa", Vout: 0}, Value: 2_100_000_000_000_000, PkScript: []byte{0x6a}, Height: 7, SpentBy: "cc"},
	}
	if err := s.PutUTXOs(ctx, utxos...); err != nil {
		t.Fatal(err)
	}
	got, err := s.UTXOs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.UTXO{utxos[2], utxos[1], utxos[0]}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("UTXOs = %+v, want %+v", got, want)
	}
	if u, ok, err := s.GetUTXO(ctx, store.Outpoint{TxID: "aa", Vout: 1}); err != nil || !ok || !reflect.DeepEqual(u, utxos[1]) {
		t.Fatalf("GetUTXO = %+v, %v, %v", u, ok, err)
	}
	if _, ok, err := s.GetUTXO(ctx, store.Outpoint{TxID: "aa", Vout: 2}); err != nil || ok {
		t.Fatalf("GetUTXO of a missing output = %v, %v", ok, err)
	}
	// A pending transaction reserving two outputs, stored together.
	created := time.Unix(1_700_000_000, 42)
	ptx := store.PendingTx{TxID: "dd", Raw: []byte{1, 0, 0, 0, 0xff}, Kind: "anchor", Anchor: "10.QmZ", Created: created, Status: "broadcast",
		Fee: 1234, BroadcastHeight: 17, ConfirmedHeight: 0, ReplacedBy: "ff"}
	r0, r1 := utxos[0], utxos[1]
	r0.ReservedBy, r1.ReservedBy = "dd", "dd"
	if err := s.PutPendingTx(ctx, ptx, r0, r1); err != nil {
		t.Fatal(err)
	}
	older := store.PendingTx{TxID: "ee", Raw: []byte{2}, Anchor: "1.QmY", Created: created.Add(-time.Hour), Status: "broadcast"}
	if err := s.PutPendingTx(ctx, older); err != nil {
		t.Fatal(err)
	}
	pend, err := s.PendingTxs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(pend) != 2 || pend[0].TxID != "ee" || pend[1].TxID != "dd" || !pend[1].Created.Equal(created) || !bytes.Equal(pend[1].Raw, ptx.Raw) || pend[1].Anchor != ptx.Anchor || pend[1].Status != ptx.Status ||
		pend[1].Kind != ptx.Kind || pend[1].Fee != ptx.Fee || pend[1].BroadcastHeight != ptx.BroadcastHeight || pend[1].ReplacedBy != ptx.ReplacedBy {
		t.Fatalf("PendingTxs = %+v", pend)
	}
	if u, _, _ := s.GetUTXO(ctx, r0.Outpoint); u.ReservedBy != "dd" {
		t.Fatalf("reservation not stored with the pending transaction: %+v", u)
	}
	ptx.Status, ptx.ConfirmedHeight = "confirmed", 19
	if err := s.PutPendingTx(ctx, ptx); err != nil {
		t.Fatal(err)
	}
	if p, ok, err := s.GetPendingTx(ctx, "dd"); err != nil || !ok || p.Status != "confirmed" || p.ConfirmedHeight != 19 {
		t.Fatalf("GetPendingTx = %+v, %v, %v", p, ok, err)
	}
	if err := s.DeletePendingTx(ctx, "dd"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePendingTx(ctx, "never"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.GetPendingTx(ctx, "dd"); ok {
		t.Fatal("deleted pending transaction still found")
	}
	if err := s.DeleteUTXOs(ctx, utxos[2].Outpoint, store.Outpoint{TxID: "zz"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.UTXOs(ctx); len(got) != 2 || got[0].Outpoint != utxos[1].Outpoint {
		t.Fatalf("UTXOs after delete = %+v", got)
	}
}

// ExpectedStateHash is the hash a store holding exactly ops must report.
func ExpectedStateHash(ops []sidetree.AnchoredOperation) []byte {
	h := store.NewStateHasher()
	for _, op := range sortOps(ops) {
		h.Add(op)
	}
	return h.Sum()
}

func testStateHash(t *testing.T, open Open) {
	a, b := open(t), open(t)
	ctx := ctxFor(t)
	var ops []sidetree.AnchoredOperation
	for i := 0; i < 40; i++ {
		ops = append(ops, Op(fmt.Sprintf("s%d", i%7), uint64(1_000_000+i/5), uint32(i%5)))
	}
	empty, err := a.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(empty, ExpectedStateHash(nil)) {
		t.Fatalf("empty store hash = %x", empty)
	}
	mustPut(t, a, ops...)
	rev := slices.Clone(ops)
	slices.Reverse(rev)
	for i := 0; i < len(rev); i += 9 {
		mustPut(t, b, rev[i:min(i+9, len(rev))]...)
	}
	mustPut(t, b, ops[:10]...)
	ha, err := a.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hb, err := b.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ha, ExpectedStateHash(ops)) || !bytes.Equal(ha, hb) {
		t.Fatalf("state hashes differ: %x %x, want %x", ha, hb, ExpectedStateHash(ops))
	}
	mustPut(t, b, Op("s0", 9_000_000, 0))
	if hb, _ := b.StateHash(ctx); bytes.Equal(ha, hb) {
		t.Fatal("state hash ignores an added operation")
	}
}

// testConcurrentReaders runs resolvers (read the log, cache a state at the generation read) against an
// observer writing: afterwards no served cached state may differ from one computed from the final log.
func testConcurrentReaders(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	const dids, txs = 8, 40
	digest := func(ops []sidetree.AnchoredOperation) []byte {
		h := sha256.New()
		for _, op := range ops {
			fmt.Fprintf(h, "%d.%d;", op.TransactionNumber, op.OperationIndex)
		}
		return h.Sum(nil)
	}
	done := make(chan struct{})
	errs := make(chan error, 16)
	var wg sync.WaitGroup
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				suffix := fmt.Sprintf("r%d", (i+r)%dids)
				if data, ok, err := s.CachedState(ctx, suffix); err != nil {
					errs <- err
					return
				} else if ok && len(data) == 0 {
					errs <- fmt.Errorf("empty cached state for %s", suffix)
					return
				}
				ops, gen, err := s.Operations(ctx, suffix)
				if err != nil {
					errs <- err
					return
				}
				for j := 1; j < len(ops); j++ {
					p, c := ops[j-1], ops[j]
					if p.TransactionNumber > c.TransactionNumber || (p.TransactionNumber == c.TransactionNumber && p.OperationIndex >= c.OperationIndex) {
						errs <- fmt.Errorf("operations of %s out of order: %s", suffix, describe(ops))
						return
					}
				}
				if len(ops) > 0 {
					if err := s.CacheState(ctx, suffix, gen, digest(ops)); err != nil {
						errs <- err
						return
					}
				}
			}
		}(r)
	}
	var written []sidetree.AnchoredOperation
	for i := 0; i < txs; i++ {
		n := uint64(1_000_000 + i)
		var ops []sidetree.AnchoredOperation
		for j := 0; j < dids; j += 1 + i%3 {
			ops = append(ops, Op(fmt.Sprintf("r%d", j), n, uint32(j)))
		}
		written = append(written, ops...)
		if err := s.PutProcessed(ctx, node.Transaction{Number: n}, ops, fmt.Appendf(nil, "%d", n)); err != nil {
			t.Fatal(err)
		}
		if i%10 == 9 {
			if err := s.RollbackAfter(ctx, n-2); err != nil {
				t.Fatal(err)
			}
			var kept []sidetree.AnchoredOperation
			for _, op := range written {
				if op.TransactionNumber <= n-2 {
					kept = append(kept, op)
				}
			}
			written = kept
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for j := 0; j < dids; j++ {
		suffix := fmt.Sprintf("r%d", j)
		want := bySuffix(written, suffix)
		checkOps(t, s, suffix, want)
		data, ok, err := s.CachedState(ctx, suffix)
		if err != nil {
			t.Fatal(err)
		}
		if ok && !bytes.Equal(data, digest(want)) {
			t.Errorf("cached state of %s was computed from an older log but is served", suffix)
		}
	}
}

func testCanceledContext(t *testing.T, open Open) {
	s := open(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.PutOperations(ctx, []sidetree.AnchoredOperation{Op("x", 1, 0)}); err == nil {
		t.Error("PutOperations with a canceled context succeeded")
	}
	if _, _, err := s.Operations(ctx, "x"); err == nil {
		t.Error("Operations with a canceled context succeeded")
	}
	if err := s.Enqueue(ctx, "x", sidetree.OpCreate, nil); err == nil {
		t.Error("Enqueue with a canceled context succeeded")
	}
}
