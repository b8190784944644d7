package ionrules

import (
	"testing"

	"github.com/ionode/ionode/sidetree"
)

var v1 = sidetree.Mainnet().Latest()

// Expected values: NODE_PATH=/tmp/ionrules-ref/node_modules node testdata/refgen/fee.js (ION's FeeManager).
func TestMinimumTransactionFee(t *testing.T) {
	for _, tc := range []struct {
		normalizedFee float64
		ops           int
		want          float64
		wantCode      sidetree.Code
	}{
		{1000, 1, 1000, ""},
		{1000, 999, 1000, ""},
		{1000, 1000, 1000, ""},
		{1000, 1001, 1001, ""},
		{1000, 10000, 10000, ""},
		{400, 3, 400, ""},
		{400, 2501, 1000.4000000000001, ""},
		{1234.5, 7777, 9600.7065, ""},
		{0.1, 3, 0.1, ""},
		{3, 3333, 9.999, ""},
		{1, 1, 1, ""},
		{7, 0, 0, "operation_count_less_than_zero"},
		{7, -1, 0, "operation_count_less_than_zero"},
		{1000000000000000, 10000, 10000000000000000, ""},
		{999.999, 1001, 1000.998999, ""},
		{0, 5, 0, ""},
	} {
		got, err := MinimumTransactionFee(tc.normalizedFee, tc.ops, v1)
		if sidetree.CodeOf(err) != tc.wantCode || (err != nil) != (tc.wantCode != "") {
			t.Errorf("MinimumTransactionFee(%v, %d) error %v, want code %q", tc.normalizedFee, tc.ops, err, tc.wantCode)
			continue
		}
		if got != tc.want {
			t.Errorf("MinimumTransactionFee(%v, %d) = %v, want %v", tc.normalizedFee, tc.ops, got, tc.want)
		}
	}
}

// Expected values: NODE_PATH=/tmp/ionrules-ref/node_modules node testdata/refgen/fee.js (ION's FeeManager).
// Boundaries: the fee exactly at the normalized fee and one satoshi below; exactly the per-operation
// minimum and one below; and minimums that are exact in rational arithmetic but not in JavaScript's.
func TestVerifyTransactionFee(t *testing.T) {
	for _, tc := range []struct {
		paid          int64
		ops           int
		normalizedFee int64
		wantCode      sidetree.Code
	}{
		{1000, 1, 1000, ""},
		{999, 1, 1000, "transaction_fee_paid_less_than_normalized_fee"},
		{1000, 1000, 1000, ""},
		{1001, 1001, 1000, ""},
		{1000, 1001, 1000, "transaction_fee_paid_invalid"},
		{10000, 10000, 1000, ""},
		{9999, 10000, 1000, "transaction_fee_paid_invalid"},
		{0, 1, 0, ""},
		{5, 0, 1, "operation_count_less_than_zero"},
		{5, -3, 1, "operation_count_less_than_zero"},
		{1, 1, 2, "transaction_fee_paid_less_than_normalized_fee"},
		{1200, 1200, 1000, ""},
		{1199, 1200, 1000, "transaction_fee_paid_invalid"},
		{3, 1000, 3, ""},
		{2, 1000, 3, "transaction_fee_paid_less_than_normalized_fee"},
		{2999, 999999, 3, "transaction_fee_paid_invalid"},
		{3000, 999999, 3, ""},
		{2999, 1000000, 3, "transaction_fee_paid_invalid"},
		{3000, 1000000, 3, ""},
		{2999, 1000001, 3, "transaction_fee_paid_invalid"},
		{333, 333, 333, ""},
		{110, 1001, 110, "transaction_fee_paid_invalid"},
		{111, 1001, 110, ""},
		{4004, 3641, 1099, ""},
		{4003, 3641, 1099, ""},
		{4002, 3641, 1099, ""},
		{18, 2000, 9, "transaction_fee_paid_invalid"},
		{19, 2000, 9, ""},
		{27, 3000, 9, "transaction_fee_paid_invalid"},
		{26, 2000, 13, "transaction_fee_paid_invalid"},
		{27, 2000, 13, ""},
		{36, 2000, 18, "transaction_fee_paid_invalid"},
	} {
		err := VerifyTransactionFee(tc.paid, tc.ops, tc.normalizedFee, v1)
		if sidetree.CodeOf(err) != tc.wantCode || (err != nil) != (tc.wantCode != "") {
			t.Errorf("VerifyTransactionFee(%d, %d, %d) = %v, want code %q", tc.paid, tc.ops, tc.normalizedFee, err, tc.wantCode)
		}
	}
}

// Expected values: NODE_PATH=/tmp/ionrules-ref/node_modules node testdata/refgen/fee.js (the least
// integer at or above computeMinimumTransactionFee that verifyTransactionFeeAndThrowOnError accepts).
func TestMinimumFeeSatoshis(t *testing.T) {
	for _, tc := range []struct {
		normalizedFee int64
		ops           int
		want          int64
	}{
		{1000, 1, 1000},
		{1000, 1000, 1000},
		{1000, 1001, 1001},
		{1000, 10000, 10000},
		{9, 2000, 19},
		{13, 2000, 27},
		{18, 2000, 37},
		{400, 2501, 1001},
		{1099, 3641, 4002},
		{1, 10000, 10},
		{0, 3, 0},
	} {
		got, err := MinimumFeeSatoshis(tc.normalizedFee, tc.ops, v1)
		if err != nil || got != tc.want {
			t.Errorf("MinimumFeeSatoshis(%d, %d) = %d, %v; want %d", tc.normalizedFee, tc.ops, got, err, tc.want)
			continue
		}
		if err := VerifyTransactionFee(got-1, tc.ops, tc.normalizedFee, v1); err == nil && got > 0 {
			t.Errorf("one satoshi below the minimum (%d) verifies", got-1)
		}
	}
	if _, err := MinimumFeeSatoshis(1000, 0, v1); sidetree.CodeOf(err) != sidetree.CodeOperationCountLessThanZero {
		t.Errorf("MinimumFeeSatoshis with no operations: %v", err)
	}
}

func TestJSNumber(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		want string
	}{
		{0.003, "0.003"}, {0.009000000000000001, "0.009000000000000001"}, {1e21, "1e+21"},
		{123456789012345680000, "123456789012345680000"}, {1e-7, "1e-7"}, {0.000001, "0.000001"}, {-2.5e-9, "-2.5e-9"},
	} {
		if got := jsNumber(tc.f); got != tc.want {
			t.Errorf("jsNumber(%v) = %q, want %q", tc.f, got, tc.want)
		}
	}
}
