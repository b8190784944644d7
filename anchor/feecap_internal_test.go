package anchor

import (
	"context"
	"errors"
	"testing"
)

// TestBumpsAreBounded: a transaction stuck for ever is bumped at most MaxBumps times and never past
// MaxFee; without caps, 20 bumps took ~700 satoshis to millions.
func TestBumpsAreBounded(t *testing.T) {
	const size = 250
	tests := []struct {
		name      string
		w         *Writer
		wantBumps int
	}{
		{"default", &Writer{}, DefaultMaxBumps},
		{"max bumps 2", &Writer{MaxBumps: 2}, 2},
		{"never", &Writer{MaxBumps: -1}, 0},
		{"max fee", &Writer{MaxBumps: 100, MaxFee: 3000}, 3},            // 700 → 1200 → 1800 → 2700 → (4050 refused)
		{"max fee rate", &Writer{MaxBumps: 100, MaxFeeRate: 10_000}, 2}, // 2,500 satoshis for 250 bytes: (2700 refused)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var pending []PendingTx
			txid, fee := "tx0", int64(700)
			pending = append(pending, PendingTx{TxID: txid, Fee: fee})
			for range 40 { // Maintain's decision, once per stuck period
				if bumpsOf(pending, txid) >= tc.w.maxBumps() {
					break
				}
				next := bumpFee(fee, size)
				if err := tc.w.approveFee(context.Background(), next, size, txid); err != nil {
					if !errors.Is(err, ErrFeeCap) {
						t.Fatalf("refusal %v does not wrap ErrFeeCap", err)
					}
					break
				}
				pending[len(pending)-1].ReplacedBy = txid + "'"
				txid, fee = txid+"'", next
				pending = append(pending, PendingTx{TxID: txid, Fee: fee})
			}
			if got := bumpsOf(pending, txid); got != tc.wantBumps {
				t.Fatalf("%d bumps (fee %d), want %d", got, fee, tc.wantBumps)
			}
			if tc.w.MaxFee > 0 && fee > tc.w.MaxFee || tc.w.MaxFeeRate > 0 && fee*1000 > tc.w.MaxFeeRate*size {
				t.Fatalf("final fee %d over the cap", fee)
			}
		})
	}
}

func TestApproveFeeAsksTheBudget(t *testing.T) {
	budget := errors.New("fee budget reached")
	var asked []string
	w := Writer{ApproveFee: func(_ context.Context, fee int64, replaces string) error {
		asked = append(asked, replaces)
		if fee > 5000 {
			return budget
		}
		return nil
	}}
	if err := w.approveFee(context.Background(), 5000, 250, ""); err != nil {
		t.Fatal(err)
	}
	if err := w.approveFee(context.Background(), 5001, 250, "old"); !errors.Is(err, ErrFeeCap) || !errors.Is(err, budget) {
		t.Fatalf("over budget: %v", err)
	}
	if len(asked) != 2 || asked[1] != "old" {
		t.Fatalf("asked %v", asked)
	}
	if got := (&Writer{MaxFeeRate: 3000}).capRate(9000); got != 3000 {
		t.Fatalf("capRate: %d", got)
	}
}
