// Package ionrules holds ION's transaction rules (the node's only implementation of them) as pure functions, computed exactly as ION mainnet
// computes them (the reference is decentralized-identity/sidetree 1.0.6 with the parameters of the ion
// repository's config files): which anchor transactions of a block count, whether a transaction paid
// enough, how many operations a value time lock allows, and what a lock is on chain. Nothing here
// touches the network, disk or clock; the few rules that need chain data take it through small
// interfaces the chain side implements.
//
// Where ION computes with JavaScript numbers, so do we: float64 operations in the reference's order, with
// the parameters read from variables so that Go's exact constant arithmetic never stands in for
// JavaScript's rounding (0.001 × 9 is not 0.009 in either language at run time, and ION's comparisons
// depend on that).
//
// # Normalized fee (lib/bitcoin/versions/*/NormalizedFeeCalculator.ts)
//
// Every block gets a normalized fee, from which the fee and lock rules of the transactions in it are
// derived. For the first feeLookBackWindowInBlocks blocks from genesis it is initialNormalizedFeeInSatoshis;
// after that it is the average fee per transaction over the preceding window (the sum of the blocks' total
// fees over the sum of their transaction counts, coinbase included), clamped to within
// feeMaxFluctuationMultiplierPerBlock of the previous block's raw value ([NormalizedFee]). A block's total
// fee is its coinbase outputs minus the subsidy ([CoinbaseFee]; the subsidy halves every 210,000 blocks on
// every network, regtest included). The raw value is kept unrounded and chains from block to block;
// transactions see it floored ([TransactionNormalizedFee]). [FeeWindow] keeps the rolling window for a
// watcher: feed it each block's height, coinbase fee and transaction count in order, persist the
// [BlockFee] it returns, and rebuild it from the stored records after a restart or a deep reorg.
//
//	                              mainnet   testnet   (regtest as testnet, genesis 0)
//	genesis block                 667,000   1,900,000
//	feeLookBackWindowInBlocks         100       1,000
//	feeMaxFluctuationMultiplier   0.00001     0.00001
//	initialNormalizedFeeInSatoshis  1,000         400
//	valueTimeLockDurationInBlocks   4,500         150
//
// # Fees (lib/core/versions/latest/FeeManager.ts)
//
// With normalizedFeeToPerOperationFeeMultiplier 0.001 (every network), a transaction anchoring n
// operations must pay at least the normalized fee and at least normalizedFee × 0.001 per operation
// ([MinimumTransactionFee], [VerifyTransactionFee], [MinimumFeeSatoshis]): on mainnet at a normalized fee
// of 1,000 sat, 1,000 sat for up to 1,000 operations, then 1 sat per operation.
//
// # Value time locks (ValueTimeLockVerifier.ts, lib/bitcoin/lock/*)
//
// A transaction may anchor at most maxNumberOfOperationsForNoValueTimeLock (100) operations without a
// lock. More need a lock owned by the transaction's writer, active at the transaction's block
// (lock block ≤ block < lock block + duration), holding at least normalizedFee × 0.001 × 60,000
// (valueTimeLockAmountMultiplier) satoshis per operation at the normalized fee of the lock's block
// ([MaxOperationsAllowed], [VerifyLockAmount], [LockAmountForOperations]): 60,000 sat per operation at a
// normalized fee of 1,000, so 0.06 BTC for 100 operations and 6 BTC for the 10,000 of a full batch. A
// lock that does not resolve counts as no lock.
//
// A lock is output 0 of a Bitcoin transaction paying to the P2SH of ION's freeze script
// ([LockScript]: <duration> OP_CHECKSEQUENCEVERIFY OP_DROP OP_DUP OP_HASH160 <pubkeyhash> OP_EQUALVERIFY
// OP_CHECKSIG, a relative lock of exactly valueTimeLockDurationInBlocks), named in core index files by a
// lock identifier, base64url("<txid>.<redeem script hex>") ([LockIdentifier]). ION reads scripts through
// bitcore-lib's asm text, so [ParseLockScript] and [PaysToLockScript] match that text ([ScriptASM]), and
// [ParseLockIdentifier] decodes with Node's lenient decoders. [ResolveLock] puts it together with the
// chain data it needs ([LockTransactionSource], implemented by anchor.RPC; [NormalizedFeeSource]). The core
// looks a writerLockId up through an unescaped URL path, so what the lock resolver sees is
// [LockRouteIdentifier] of it; [CoreLock] is the whole lookup as the core ends up seeing it (a lock, no
// lock, or a transaction to discard).
//
// # Transaction selection (TransactionSelector.ts, ThroughputLimiter.ts)
//
// Per block at most maxNumberOfTransactionsPerTransactionTime (300) transactions and
// maxNumberOfOperationsPerTransactionTime (600,000) operations count, one transaction per writer (its
// first), ranked by total fee paid, then by transaction number ([Select]).
package ionrules
