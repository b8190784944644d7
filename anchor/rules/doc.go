// Package rules holds ION's transaction rules as pure functions, with the values ION mainnet uses:
//
//   - Normalized fee (the reference's NormalizedFeeCalculator): for each block from genesis +
//     feeLookBackWindowInBlocks (100) on, the average fee per transaction over the previous 100 blocks
//     (their total fees over their transaction counts), kept within ±feeMaxFluctuationMultiplierPerBlock
//     (0.00001) of the previous block's value; blocks before that get initialNormalizedFeeInSatoshis
//     (1,000). A transaction's normalized fee is its block's value rounded down. The arithmetic is
//     JavaScript's: float64 throughout.
//   - Minimum fee (FeeManager): a transaction must pay at least its block's normalized fee, and at least
//     normalizedFeeToPerOperationFeeMultiplier (0.001) × normalized fee per operation.
//   - Per-block selection (TransactionSelector): the first transaction of each writer in the block
//     competes; the highest fees win (ties: the lower transaction number), up to
//     maxNumberOfTransactionsPerTransactionTime (300) transactions and
//     maxNumberOfOperationsPerTransactionTime (600,000) operations.
//   - Value time locks (ValueTimeLockVerifier): without a lock a batch may hold
//     maxNumberOfOperationsForNoValueTimeLock (100) operations; a lock of A satoshis allows
//     A / (normalized fee × 0.001 × valueTimeLockAmountMultiplier (60,000)) operations.
package rules
