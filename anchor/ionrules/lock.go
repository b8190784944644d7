package ionrules

import (
	"math"

	"github.com/ionode/ionode/sidetree"
)

// ValueTimeLock is a resolved value time lock (the reference's ValueTimeLockModel).
type ValueTimeLock struct {
	// Identifier is the serialized lock identifier ([LockIdentifier.String]).
	Identifier string
	// AmountLocked is output 0 of the lock transaction, in satoshis.
	AmountLocked int64
	// LockTransactionTime is the height of the block the lock transaction confirmed in.
	LockTransactionTime int64
	// UnlockTransactionTime is LockTransactionTime plus the script's duration: from this block on the
	// lock no longer counts.
	UnlockTransactionTime int64
	// NormalizedFee is the (floored) normalized fee of the block at LockTransactionTime.
	NormalizedFee int64
	// Owner is the public key hash the lock pays back to, as the hex text ION compares with a
	// transaction's writer.
	Owner string
}

// Unlimited is what [MaxOperationsAllowed] returns when a lock allows any number of operations (a zero
// normalized fee makes ION's division infinite or NaN, and neither bounds anything).
const Unlimited = math.MaxInt

// MaxOperationsAllowed is how many operations a transaction with the lock (nil for none) may anchor
// (ValueTimeLockVerifier.calculateMaxNumberOfOperationsAllowed): floor(amount / (normalizedFee ×
// normalizedFeeToPerOperationFeeMultiplier × valueTimeLockAmountMultiplier)), in float64 as ION does, and
// never fewer than maxNumberOfOperationsForNoValueTimeLock. The two multipliers are those of the protocol
// version at the lock's block; the free count is that of current, the version the transaction is
// processed under.
func MaxOperationsAllowed(lock *ValueTimeLock, net sidetree.Network, current sidetree.Parameters) int {
	free := current.MaxNumberOfOperationsForNoValueTimeLock
	if lock == nil {
		return free
	}
	atLock := net.ParametersAt(uint64(max(0, lock.LockTransactionTime)))
	perOperation := float64(lock.NormalizedFee) * atLock.NormalizedFeeToPerOperationFeeMultiplier
	allowed := math.Floor(float64(lock.AmountLocked) / (perOperation * float64(atLock.ValueTimeLockAmountMultiplier)))
	switch {
	case math.IsNaN(allowed) || allowed >= float64(Unlimited):
		return Unlimited // Math.max(NaN, free) is NaN, and "count > NaN" never holds
	case allowed < float64(free):
		return free
	}
	return int(allowed)
}

// VerifyLockAmount checks a transaction's operation count against its writer's lock
// (ValueTimeLockVerifier.verifyLockAmountAndThrowOnError). lock is nil when the core index file names no
// lock or the lock does not resolve. In order:
//   - count ≤ maxNumberOfOperationsForNoValueTimeLock: no check at all (a lock of another owner or out of
//     range is fine then);
//   - the lock's owner is not writer: sidetree.CodeValueTimeLockVerifierTransactionWriterLockOwnerMismatch;
//   - transactionTime < LockTransactionTime or ≥ UnlockTransactionTime:
//     sidetree.CodeValueTimeLockVerifierTransactionTimeOutsideLockRange;
//   - count > [MaxOperationsAllowed]: sidetree.CodeValueTimeLockVerifierInvalidNumberOfOperations.
func VerifyLockAmount(lock *ValueTimeLock, operationCount int, transactionTime int64, writer string, net sidetree.Network) error {
	current := net.ParametersAt(uint64(max(0, transactionTime)))
	if operationCount <= current.MaxNumberOfOperationsForNoValueTimeLock {
		return nil
	}
	if lock != nil {
		if lock.Owner != writer {
			return sidetree.Errorf(sidetree.CodeValueTimeLockVerifierTransactionWriterLockOwnerMismatch,
				"sidetree transaction writer: %s - lock owner: %s", writer, lock.Owner)
		}
		if transactionTime < lock.LockTransactionTime || transactionTime >= lock.UnlockTransactionTime {
			return sidetree.Errorf(sidetree.CodeValueTimeLockVerifierTransactionTimeOutsideLockRange,
				"sidetree transaction block: %d; lock start time: %d; unlock time: %d",
				transactionTime, lock.LockTransactionTime, lock.UnlockTransactionTime)
		}
	}
	allowed := MaxOperationsAllowed(lock, net, current)
	if operationCount > allowed {
		return sidetree.Errorf(sidetree.CodeValueTimeLockVerifierInvalidNumberOfOperations,
			"max number of ops allowed: %d; actual number of ops: %d", allowed, operationCount)
	}
	return nil
}

// LockAmountForOperations is the least amount in satoshis a lock made in a block whose (floored)
// normalized fee is normalizedFee must hold for [MaxOperationsAllowed] to reach operationCount: about
// normalizedFee × 0.001 × operationCount × 60,000 on ION, exact to the satoshi under ION's float64
// arithmetic. It is 0 when the count needs no lock (or the fee is 0, when any lock allows everything), and
// −1 when no amount suffices (a negative fee, or an amount beyond 2^53 satoshis).
func LockAmountForOperations(normalizedFee int64, operationCount int, p sidetree.Parameters) int64 {
	if operationCount <= p.MaxNumberOfOperationsForNoValueTimeLock {
		return 0
	}
	net := sidetree.Network{Versions: []sidetree.VersionStart{{Parameters: p}}}
	allows := func(amount int64) bool {
		lock := &ValueTimeLock{AmountLocked: amount, NormalizedFee: normalizedFee}
		return MaxOperationsAllowed(lock, net, p) >= operationCount
	}
	switch {
	case normalizedFee == 0:
		return 0 // ION divides by zero: any lock, even of nothing, allows everything
	case normalizedFee < 0:
		return -1 // the quotient is negative: no lock allows more than the free count
	}
	estimate := float64(normalizedFee) * p.NormalizedFeeToPerOperationFeeMultiplier *
		float64(operationCount) * float64(p.ValueTimeLockAmountMultiplier)
	if estimate > 1<<53 {
		return -1
	}
	// The estimate is within a few satoshis of the answer; walk to the exact boundary.
	amount := int64(math.Ceil(estimate))
	for amount > 0 && allows(amount-1) {
		amount--
	}
	for !allows(amount) {
		amount++
	}
	return amount
}
