package anchor

import "fmt"

const (
	// maxTransactionIndexInBlock is the largest in-block index a transaction number can carry.
	maxTransactionIndexInBlock = 999_999
	transactionsPerBlock       = maxTransactionIndexInBlock + 1
	// maxBlockHeight keeps numbers below 2^53, where ION's JavaScript numbers are exact.
	maxBlockHeight = 9_000_000_000
)

// TransactionNumber is ION's transaction number: height × 1,000,000 + index of the transaction in its
// block (TransactionNumber.construct). It fails where ION's does: index above 999,999 or height above
// 9,000,000,000.
func TransactionNumber(height uint64, index int) (uint64, error) {
	if index < 0 || index > maxTransactionIndexInBlock {
		return 0, fmt.Errorf("anchor: transaction index %d in block exceeds %d", index, maxTransactionIndexInBlock)
	}
	if height > maxBlockHeight {
		return 0, fmt.Errorf("anchor: block height %d exceeds %d", height, maxBlockHeight)
	}
	return height*transactionsPerBlock + uint64(index), nil
}

// LastTransactionNumberOfBlock is the number of the last possible transaction of a block: reverting to
// a block keeps every transaction numbered at most this (TransactionNumber.lastTransactionOfBlock).
func LastTransactionNumberOfBlock(height uint64) uint64 {
	return height*transactionsPerBlock + maxTransactionIndexInBlock
}

// BlockOfTransactionNumber is the block height part of a transaction number.
func BlockOfTransactionNumber(number uint64) uint64 {
	return number / transactionsPerBlock
}
