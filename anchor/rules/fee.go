package rules

import "github.com/ionode/ionode/sidetree"

// MinimumFee is FeeManager.computeMinimumTransactionFee: the fee a transaction anchoring operations
// must pay at a normalized fee, rounded up to whole satoshis (the reference's BatchWriter pays it whole).
func MinimumFee(normalizedFee uint64, operations int, p sidetree.Parameters) (uint64, error) {
	if operations <= 0 {
		return 0, sidetree.Errorf(sidetree.CodeOperationCountLessThanZero, "fee cannot be calculated for %d operations", operations)
	}
	perOperation := float64(normalizedFee) * p.NormalizedFeeToPerOperationFeeMultiplier
	fee := max(perOperation*float64(operations), float64(normalizedFee))
	return ceil(fee), nil
}

// VerifyFee is FeeManager.verifyTransactionFeeAndThrowOnError: a transaction that pays less than its
// block's normalized fee, or less per operation than the per-operation minimum, is ignored.
func VerifyFee(feePaid, normalizedFee uint64, operations int, p sidetree.Parameters) error {
	if operations <= 0 {
		return sidetree.Errorf(sidetree.CodeOperationCountLessThanZero, "the number of operations %d must be greater than 0", operations)
	}
	if feePaid < normalizedFee {
		return sidetree.Errorf(sidetree.CodeTransactionFeePaidLessThanNormalizedFee,
			"the fee paid %d is less than the normalized fee %d", feePaid, normalizedFee)
	}
	perOperation := float64(feePaid) / float64(operations)
	expected := float64(normalizedFee) * p.NormalizedFeeToPerOperationFeeMultiplier
	if perOperation < expected {
		return sidetree.Errorf(sidetree.CodeTransactionFeePaidInvalid,
			"the fee paid %d for %d operations is less than %v per operation", feePaid, operations, expected)
	}
	return nil
}

func ceil(f float64) uint64 {
	u := uint64(f)
	if float64(u) < f {
		u++
	}
	return u
}
