package rules

import (
	"math"

	"github.com/ionode/ionode/sidetree"
)

// MaxOperationsAllowed is ValueTimeLockVerifier.calculateMaxNumberOfOperationsAllowed: without a lock
// (lockAmount 0) a writer may batch maxNumberOfOperationsForNoValueTimeLock operations; a lock allows
// amount / (normalized fee × fee multiplier × lock multiplier), never fewer than without a lock. The
// normalized fee is the lock transaction's block's.
func MaxOperationsAllowed(lockAmount int64, lockNormalizedFee uint64, p sidetree.Parameters) int {
	noLock := p.MaxNumberOfOperationsForNoValueTimeLock
	if lockAmount <= 0 || lockNormalizedFee == 0 {
		return noLock
	}
	perOperation := float64(lockNormalizedFee) * p.NormalizedFeeToPerOperationFeeMultiplier * float64(p.ValueTimeLockAmountMultiplier)
	allowed := int(math.Floor(float64(lockAmount) / perOperation))
	return max(allowed, noLock)
}

// Lock is a writer's value time lock as the chain shows it.
type Lock struct {
	Owner         string // writer id (public key hash, hex) that can spend it
	AmountLocked  int64  // satoshis
	LockTime      uint64 // block height of the lock transaction
	UnlockTime    uint64 // first block height where it can be spent again
	NormalizedFee uint64 // normalized fee of the lock transaction's block
}

// VerifyLock is ValueTimeLockVerifier.verifyLockAmountAndThrowOnError: a batch above the no-lock limit
// needs a lock of its writer, live at the transaction's block, large enough for its operations.
func VerifyLock(lock *Lock, operations int, txTime uint64, writer string, p sidetree.Parameters) error {
	if operations <= p.MaxNumberOfOperationsForNoValueTimeLock {
		return nil
	}
	var amount int64
	var fee uint64
	if lock != nil {
		if lock.Owner != writer {
			return sidetree.Errorf(sidetree.CodeValueTimeLockVerifierTransactionWriterLockOwnerMismatch,
				"transaction writer %s does not own the lock (owner %s)", writer, lock.Owner)
		}
		if txTime < lock.LockTime || txTime >= lock.UnlockTime {
			return sidetree.Errorf(sidetree.CodeValueTimeLockVerifierTransactionTimeOutsideLockRange,
				"transaction block %d is outside the lock's blocks %d to %d", txTime, lock.LockTime, lock.UnlockTime)
		}
		amount, fee = lock.AmountLocked, lock.NormalizedFee
	}
	if allowed := MaxOperationsAllowed(amount, fee, p); operations > allowed {
		return sidetree.Errorf(sidetree.CodeValueTimeLockVerifierInvalidNumberOfOperations,
			"%d operations exceed the %d the lock allows", operations, allowed)
	}
	return nil
}
