package daemon

import (
	"context"

	"github.com/ionode/ionode/anchor/ionrules"
)

// lockResolver answers the FileProcessor's value time lock lookups as ION's core and bitcoin service do
// together (ionrules.CoreLock): the lock transaction from the Bitcoin RPC, the normalized fee of its
// block from the fees the chain keeps.
type lockResolver struct {
	Transactions ionrules.LockTransactionSource // the Bitcoin RPC (getrawtransaction, getblockheader)
	Fees         ionrules.NormalizedFeeSource   // the normalized fees of the blocks the node has read
	Network      ionrules.BitcoinNetwork
}

// ValueTimeLock implements node.LockResolver.
func (r *lockResolver) ValueTimeLock(ctx context.Context, writerLockID string) (*ionrules.ValueTimeLock, error) {
	return ionrules.CoreLock(ctx, writerLockID, r.Transactions, r.Fees, r.Network)
}

// chainFees is the chain's record of recent normalized fees as the lock resolver reads it.
type chainFees struct{ c *chain }

// NormalizedFee implements ionrules.NormalizedFeeSource: the floored normalized fee of a block among
// those the node keeps (see lockFeeBlocks), including the block being handled.
func (f chainFees) NormalizedFee(_ context.Context, height int64) (int64, bool, error) {
	f.c.mu.Lock()
	defer f.c.mu.Unlock()
	h := &f.c.lockFees
	if f.c.pending != nil {
		h = f.c.pending
	}
	fee, ok := h.at(height)
	return fee, ok, nil
}

// lockFeeBlocks is how many recent blocks' normalized fees the chain keeps for lock resolution. A lock
// counts only for transactions within its duration after its block, so twice the longest duration
// (4,500 blocks on mainnet, 150 on testnet and regtest) plus the reorg margin leaves room for
// transactions processed late (retried file fetches). A lock older than that resolves as not found, which
// for such a transaction gives the same verdict as ION's "outside the lock range": no lock.
func (c *chain) lockFeeBlocks() int64 {
	return 2*c.net.MaxLockDuration() + ionrules.ReorgMargin
}

// feeHistory is the floored normalized fee of each of a run of consecutive blocks, run-length encoded:
// the normalized fee moves by at most 0.001 % a block, so its floor changes rarely and thousands of
// blocks take a few entries.
type feeHistory struct {
	Runs []feeRun `json:"runs,omitempty"` // in height order; each run lasts until the next one starts
	Next int64    `json:"next,omitempty"` // the height after the last block recorded
}

type feeRun struct {
	From int64 `json:"from"`
	Fee  int64 `json:"fee"`
}

func (h feeHistory) clone() feeHistory {
	h.Runs = append([]feeRun(nil), h.Runs...)
	return h
}

// add records the next block's fee and forgets blocks more than keep below it. A height that does not
// follow the last one restarts the history.
func (h *feeHistory) add(height, fee, keep int64) {
	if len(h.Runs) == 0 || height != h.Next {
		h.Runs = h.Runs[:0]
	}
	if n := len(h.Runs); n == 0 || h.Runs[n-1].Fee != fee {
		h.Runs = append(h.Runs, feeRun{From: height, Fee: fee})
	}
	h.Next = height + 1
	oldest := h.Next - keep
	drop := 0
	for drop+1 < len(h.Runs) && h.Runs[drop+1].From <= oldest {
		drop++
	}
	h.Runs = append(h.Runs[:0], h.Runs[drop:]...)
	h.Runs[0].From = max(h.Runs[0].From, oldest)
}

// rewind forgets the blocks above height (a reorg).
func (h *feeHistory) rewind(height int64) {
	for len(h.Runs) > 0 && h.Runs[len(h.Runs)-1].From > height {
		h.Runs = h.Runs[:len(h.Runs)-1]
	}
	if len(h.Runs) == 0 {
		*h = feeHistory{}
		return
	}
	h.Next = min(h.Next, height+1)
}

// at returns the fee of the block at height, false when it is not recorded.
func (h *feeHistory) at(height int64) (int64, bool) {
	if len(h.Runs) == 0 || height < h.Runs[0].From || height >= h.Next {
		return 0, false
	}
	for i := len(h.Runs) - 1; i >= 0; i-- {
		if h.Runs[i].From <= height {
			return h.Runs[i].Fee, true
		}
	}
	return 0, false
}
