package p2pchain

import (
	"context"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"

	"github.com/ionode/ionode/anchor/ionrules"
)

// LockTransaction finds a value time lock's transaction in the blocks scanned recently
// (ionrules.LockTransactionSource). A lock older than the window can only be found by a trusted node
// (Config.Fallback, when it is one): the P2P protocol has no look-up of confirmed transactions by ID.
// Its absence here is not ION's "not found" (which would invalidate the lock): it is an error, so the
// transaction is retried rather than judged.
func (s *Source) LockTransaction(ctx context.Context, txid chainhash.Hash) (ionrules.LockTransaction, error) {
	block, _, ok := s.txs.lookup(txid)
	if !ok {
		if f, isLock := s.cfg.Fallback.(ionrules.LockTransactionSource); isLock {
			return f.LockTransaction(ctx, txid)
		}
		return ionrules.LockTransaction{}, fmt.Errorf("%w: lock %s", ErrTxUnknown, txid)
	}
	tx, err := s.GetRawTransaction(ctx, txid)
	if err != nil {
		return ionrules.LockTransaction{}, err
	}
	lt := ionrules.LockTransaction{Tx: tx}
	if height, _, best, known := s.headers.Lookup(block); known && best {
		lt.Confirmed, lt.BlockHeight = true, height
	}
	return lt, nil
}

var _ ionrules.LockTransactionSource = (*Source)(nil)
