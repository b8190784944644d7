package ionrules

import (
	"math"

	"github.com/ionode/ionode/sidetree"
)

// The fee rules compute in float64 in the reference's order of operations: ION computes them with
// JavaScript numbers, and every consensus comparison below must round exactly as it does. Parameters are
// read from variables, never folded as Go constants (Go evaluates constant expressions exactly, which
// JavaScript does not).

// MinimumTransactionFee is the least fee in satoshis a transaction anchoring operationCount operations
// must pay when the normalized fee of its block is normalizedFee (FeeManager.computeMinimumTransactionFee):
// max(normalizedFee × multiplier × count, normalizedFee), not rounded. Counts below 1 are rejected with
// sidetree.CodeOperationCountLessThanZero.
func MinimumTransactionFee(normalizedFee float64, operationCount int, p sidetree.Parameters) (float64, error) {
	if operationCount <= 0 {
		return 0, sidetree.Errorf(sidetree.CodeOperationCountLessThanZero,
			"fee cannot be calculated for the given number of operations: %d", operationCount)
	}
	perOperation := normalizedFee * p.NormalizedFeeToPerOperationFeeMultiplier
	all := perOperation * float64(operationCount)
	return math.Max(all, normalizedFee), nil
}

// VerifyTransactionFee checks the fee a transaction paid against the normalized fee of its block
// (FeeManager.verifyTransactionFeeAndThrowOnError). normalizedFee is the transaction's normalized fee as
// ION hands it to the core, that is floored ([TransactionNormalizedFee]). In order:
//   - operationCount ≤ 0: sidetree.CodeOperationCountLessThanZero;
//   - feePaid < normalizedFee: sidetree.CodeTransactionFeePaidLessThanNormalizedFee;
//   - feePaid / operationCount < normalizedFee × multiplier: sidetree.CodeTransactionFeePaidInvalid.
func VerifyTransactionFee(feePaid int64, operationCount int, normalizedFee int64, p sidetree.Parameters) error {
	if operationCount <= 0 {
		return sidetree.Errorf(sidetree.CodeOperationCountLessThanZero,
			"the number of operations: %d must be greater than 0", operationCount)
	}
	paid, fee := float64(feePaid), float64(normalizedFee)
	if paid < fee {
		return sidetree.Errorf(sidetree.CodeTransactionFeePaidLessThanNormalizedFee,
			"the actual fee paid: %d should be greater than or equal to the normalized fee: %d", feePaid, normalizedFee)
	}
	actualPerOperation := paid / float64(operationCount)
	expectedPerOperation := fee * p.NormalizedFeeToPerOperationFeeMultiplier
	if actualPerOperation < expectedPerOperation {
		return sidetree.Errorf(sidetree.CodeTransactionFeePaidInvalid,
			"the actual fee paid: %d per number of operations: %d should be at least %s",
			feePaid, operationCount, jsNumber(expectedPerOperation))
	}
	return nil
}

// MinimumFeeSatoshis is the least whole number of satoshis that passes [VerifyTransactionFee] for
// operationCount operations in a block whose (floored) normalized fee is normalizedFee. The reference's
// writer pays ceil(max(MinimumTransactionFee, its own estimate) × (1 + markup)); this is the floor any
// writer must reach.
func MinimumFeeSatoshis(normalizedFee int64, operationCount int, p sidetree.Parameters) (int64, error) {
	min, err := MinimumTransactionFee(float64(normalizedFee), operationCount, p)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(min) || min > 1<<53 {
		return 0, sidetree.Errorf(sidetree.CodeTransactionFeePaidInvalid, "minimum fee %s is not a satoshi amount", jsNumber(min))
	}
	fee := int64(math.Ceil(min))
	// Rounding in the per-operation division can leave ceil(min) a hair short; step up to the first
	// amount the verifier accepts (at most a few satoshis).
	for VerifyTransactionFee(fee, operationCount, normalizedFee, p) != nil {
		fee++
	}
	return fee, nil
}
