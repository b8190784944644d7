package rules

import (
	"fmt"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

var p = sidetree.Mainnet().Latest()

func TestMinimumFee(t *testing.T) {
	tests := []struct {
		normalized uint64
		ops        int
		want       uint64
	}{
		{1000, 1, 1000},        // the normalized fee is the floor
		{1000, 1000, 1000},     // 1000 × 1 = the floor exactly
		{1000, 1001, 1001},     // one over: per-operation fee wins
		{1000, 10_000, 10_000}, // ION's largest batch
		{1234, 999, 1234},
		{1234, 1001, 1236}, // 1235.234 rounds up
	}
	for _, tc := range tests {
		got, err := MinimumFee(tc.normalized, tc.ops, p)
		if err != nil || got != tc.want {
			t.Errorf("MinimumFee(%d, %d) = %d, %v; want %d", tc.normalized, tc.ops, got, err, tc.want)
		}
	}
	if _, err := MinimumFee(1000, 0, p); sidetree.CodeOf(err) != sidetree.CodeOperationCountLessThanZero {
		t.Errorf("zero operations: %v", err)
	}
}

func TestVerifyFee(t *testing.T) {
	tests := []struct {
		paid, normalized uint64
		ops              int
		code             sidetree.Code
	}{
		{1000, 1000, 1, ""},
		{999, 1000, 1, sidetree.CodeTransactionFeePaidLessThanNormalizedFee},
		{1000, 1000, 1000, ""},
		{1000, 1000, 1001, sidetree.CodeTransactionFeePaidInvalid}, // 0.999 per operation < 1
		{1001, 1000, 1001, ""},
		{5000, 1000, 0, sidetree.CodeOperationCountLessThanZero},
	}
	for _, tc := range tests {
		err := VerifyFee(tc.paid, tc.normalized, tc.ops, p)
		if sidetree.CodeOf(err) != tc.code {
			t.Errorf("VerifyFee(%d, %d, %d) = %v, want %q", tc.paid, tc.normalized, tc.ops, err, tc.code)
		}
	}
}

func TestFeeWindow(t *testing.T) {
	w := &FeeWindow{Params: FeeParameters{Genesis: 10, LookBackWindowInBlocks: 3, MaxFluctuationPerBlock: 0.1, InitialNormalizedFeeSats: 1000}}
	var got []string
	for h := int64(10); h < 17; h++ {
		// Fees per transaction: 2000, then 500 from block 14; each step moves at most 10 %.
		fee := int64(2000 * 5)
		if h >= 14 {
			fee = 500 * 5
		}
		b := w.Add(h, fee, 5)
		got = append(got, fmt.Sprintf("%.2f", b.NormalizedFee))
	}
	want := "[1000.00 1000.00 1000.00 1100.00 1210.00 1331.00 1197.90]"
	if fmt.Sprint(got) != want {
		t.Errorf("normalized fees %v, want %s", got, want)
	}
	if w.Latest() != 1197 || len(w.Blocks) != 3 {
		t.Errorf("latest %d, window %d", w.Latest(), len(w.Blocks))
	}
	w.Truncate(14)
	if w.Latest() != 1210 {
		t.Errorf("after truncate: %d", w.Latest())
	}
}

func TestSelect(t *testing.T) {
	small := p
	small.MaxNumberOfTransactionsPerTransactionTime = 3
	small.MaxNumberOfOperationsPerTransactionTime = 100
	txs := []Candidate{
		{Number: 1, AnchorString: "10.a", FeePaid: 500, Writer: "w1"},
		{Number: 2, AnchorString: "10.b", FeePaid: 900, Writer: "w1"}, // second of w1: never competes
		{Number: 3, AnchorString: "60.c", FeePaid: 800, Writer: "w2"},
		{Number: 4, AnchorString: "x.d", FeePaid: 999, Writer: "w3"},  // malformed: takes no slot
		{Number: 5, AnchorString: "50.e", FeePaid: 700, Writer: "w4"}, // would overflow 100 ops: skipped
		{Number: 6, AnchorString: "20.f", FeePaid: 500, Writer: "w5"}, // ties with 1: the earlier first
		{Number: 7, AnchorString: "5.g", FeePaid: 100, Writer: "w6"},
	}
	// Order by fee: 4 (malformed), 3 (60), 5 (110 > 100: skipped, seen 110 ≥ 100 stops).
	if got := fmt.Sprint(Select(txs, small)); got != "[2]" {
		t.Errorf("selected %v, want [2] (transaction 3)", got)
	}
	small.MaxNumberOfOperationsPerTransactionTime = 1000
	// 3, 5, then 1 and 6 tie at 500: 1 first; 3 transactions cap.
	if got := fmt.Sprint(Select(txs, small)); got != "[0 2 4]" {
		t.Errorf("selected %v, want [0 2 4]", got)
	}
}

func TestLocks(t *testing.T) {
	lock := &Lock{Owner: "w", AmountLocked: 600_000_000, LockTime: 100, UnlockTime: 200, NormalizedFee: 1000}
	// 600,000,000 / (1000 × 0.001 × 60,000) = 10,000 operations.
	if got := MaxOperationsAllowed(lock.AmountLocked, lock.NormalizedFee, p); got != 10_000 {
		t.Errorf("allowed %d", got)
	}
	if got := MaxOperationsAllowed(0, 0, p); got != 100 {
		t.Errorf("no lock allows %d", got)
	}
	if got := MaxOperationsAllowed(1, 1000, p); got != 100 {
		t.Errorf("a tiny lock allows %d, want the no-lock 100", got)
	}
	tests := []struct {
		lock   *Lock
		ops    int
		time   uint64
		writer string
		code   sidetree.Code
	}{
		{nil, 100, 150, "w", ""},
		{nil, 101, 150, "w", sidetree.CodeValueTimeLockVerifierInvalidNumberOfOperations},
		{lock, 10_000, 150, "w", ""},
		{lock, 10_001, 150, "w", sidetree.CodeValueTimeLockVerifierInvalidNumberOfOperations},
		{lock, 500, 150, "other", sidetree.CodeValueTimeLockVerifierTransactionWriterLockOwnerMismatch},
		{lock, 500, 99, "w", sidetree.CodeValueTimeLockVerifierTransactionTimeOutsideLockRange},
		{lock, 500, 100, "w", ""},
		{lock, 500, 199, "w", ""},
		{lock, 500, 200, "w", sidetree.CodeValueTimeLockVerifierTransactionTimeOutsideLockRange},
	}
	for _, tc := range tests {
		if err := VerifyLock(tc.lock, tc.ops, tc.time, tc.writer, p); sidetree.CodeOf(err) != tc.code {
			t.Errorf("VerifyLock(%v, %d, %d, %s) = %v, want %q", tc.lock != nil, tc.ops, tc.time, tc.writer, err, tc.code)
		}
	}
}
