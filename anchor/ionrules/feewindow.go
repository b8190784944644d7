package ionrules

import (
	"fmt"

	"github.com/btcsuite/btcd/wire/v2"
)

// FeeWindow keeps the recent blocks' fee records a watcher needs to compute each new block's normalized
// fee in order, as the reference's NormalizedFeeCalculator does with its look-back cache. It is not safe
// for concurrent use.
//
// Per block the caller supplies the height, [CoinbaseFee] of the block and its transaction count
// (coinbase included), in height order from genesis (or from a restored window). Each [FeeWindow.Add]
// returns the block's [BlockFee] with its raw normalized fee: persist it, because a restart or a reorg
// rebuilds the window from the stored records ([NewFeeWindow]), and the normalized fee of any earlier
// block is [TransactionNormalizedFee] of its stored record.
type FeeWindow struct {
	net    BitcoinNetwork
	blocks []BlockFee // consecutive heights, oldest first
	keep   int64      // how many records to hold: the largest look-back window plus the reorg margin
}

// ReorgMargin is how many blocks beyond the look-back window a FeeWindow keeps, so that a reorg at most
// this deep can be rewound without reloading records.
const ReorgMargin = 100

// NewFeeWindow returns a window for net that continues after recent, the stored records of the blocks
// right before the next block to add (at least the look-back window of that block, or every block since
// genesis when there are fewer; none to start at genesis). recent must be consecutive.
func NewFeeWindow(net BitcoinNetwork, recent []BlockFee) (*FeeWindow, error) {
	var maxWindow int64
	for _, v := range net.Versions {
		maxWindow = max(maxWindow, v.Parameters.FeeLookBackWindowInBlocks)
	}
	w := &FeeWindow{net: net, keep: maxWindow + ReorgMargin}
	for i, b := range recent {
		if i > 0 && b.Height != recent[i-1].Height+1 {
			return nil, fmt.Errorf("ionrules: fee records not consecutive at height %d", b.Height)
		}
	}
	if len(recent) > 0 && recent[0].Height < net.Genesis {
		return nil, fmt.Errorf("ionrules: fee record at height %d is before genesis %d", recent[0].Height, net.Genesis)
	}
	w.blocks = append(w.blocks, recent[max(0, int64(len(recent))-w.keep):]...)
	return w, nil
}

// Next is the height the next [FeeWindow.Add] expects: genesis for an empty window.
func (w *FeeWindow) Next() int64 {
	if len(w.blocks) == 0 {
		return w.net.Genesis
	}
	return w.blocks[len(w.blocks)-1].Height + 1
}

// Add computes the normalized fee of the block at height (which must be [FeeWindow.Next]) from its total
// fee and transaction count, records it and returns the record to persist.
func (w *FeeWindow) Add(height, totalFee, transactionCount int64) (BlockFee, error) {
	if height != w.Next() {
		return BlockFee{}, fmt.Errorf("ionrules: fee window expects block %d, got %d", w.Next(), height)
	}
	p, err := w.net.ParametersAt(height)
	if err != nil {
		return BlockFee{}, err
	}
	start := max(0, int64(len(w.blocks))-p.FeeLookBackWindowInBlocks)
	fee, err := NormalizedFee(w.net, height, w.blocks[start:])
	if err != nil {
		return BlockFee{}, err
	}
	b := BlockFee{Height: height, TotalFee: totalFee, TransactionCount: transactionCount, NormalizedFee: fee}
	w.blocks = append(w.blocks, b)
	if over := int64(len(w.blocks)) - w.keep; over > 0 {
		w.blocks = append(w.blocks[:0], w.blocks[over:]...)
	}
	return b, nil
}

// AddBlock is [FeeWindow.Add] for a whole block: its coinbase fee and transaction count.
func (w *FeeWindow) AddBlock(height int64, block *wire.MsgBlock) (BlockFee, error) {
	if len(block.Transactions) == 0 {
		return BlockFee{}, fmt.Errorf("ionrules: block %d has no transactions", height)
	}
	return w.Add(height, CoinbaseFee(height, block.Transactions[0]), int64(len(block.Transactions)))
}

// Rewind forgets the blocks above height, after a reorg that replaced them. It fails when the window no
// longer holds enough blocks below to continue (a reorg deeper than [ReorgMargin]); rebuild the window
// from the stored records with [NewFeeWindow] then.
func (w *FeeWindow) Rewind(height int64) error {
	if height >= w.Next()-1 {
		return nil
	}
	if height < w.net.Genesis-1 {
		return fmt.Errorf("ionrules: cannot rewind below genesis %d", w.net.Genesis)
	}
	n := height - w.blocks[0].Height + 1 // records to keep
	if n < 0 || (n == 0 && w.blocks[0].Height != w.net.Genesis) {
		return fmt.Errorf("ionrules: fee window starts at %d, cannot rewind to %d", w.blocks[0].Height, height)
	}
	w.blocks = w.blocks[:n]
	if len(w.blocks) > 0 && !w.complete() {
		return fmt.Errorf("ionrules: fee window too short after rewinding to %d; reload the stored records", height)
	}
	return nil
}

// complete reports whether the window holds the look-back window the next block needs.
func (w *FeeWindow) complete() bool {
	next := w.Next()
	p, err := w.net.ParametersAt(next)
	if err != nil {
		return false
	}
	return next < w.net.Genesis+p.FeeLookBackWindowInBlocks || int64(len(w.blocks)) >= p.FeeLookBackWindowInBlocks
}

// Last returns the newest record, false for an empty window.
func (w *FeeWindow) Last() (BlockFee, bool) {
	if len(w.blocks) == 0 {
		return BlockFee{}, false
	}
	return w.blocks[len(w.blocks)-1], true
}

// Records returns a copy of the records the window holds, oldest first: what to persist so that
// [NewFeeWindow] can continue after a restart.
func (w *FeeWindow) Records() []BlockFee {
	return append([]BlockFee(nil), w.blocks...)
}
