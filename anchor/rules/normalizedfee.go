package rules

import "math"

// FeeParameters are the Bitcoin-side fee parameters of an ION network (ion/config/*-bitcoin-*.json).
type FeeParameters struct {
	Genesis                  int64
	LookBackWindowInBlocks   int
	MaxFluctuationPerBlock   float64
	InitialNormalizedFeeSats float64
}

// MainnetFees and TestnetFees are ION's settings; regtest uses mainnet's with genesis 0.
var (
	MainnetFees = FeeParameters{Genesis: 667_000, LookBackWindowInBlocks: 100, MaxFluctuationPerBlock: 0.00001, InitialNormalizedFeeSats: 1000}
	TestnetFees = FeeParameters{Genesis: 1_900_000, LookBackWindowInBlocks: 100, MaxFluctuationPerBlock: 0.00001, InitialNormalizedFeeSats: 1000}
	RegtestFees = FeeParameters{Genesis: 0, LookBackWindowInBlocks: 100, MaxFluctuationPerBlock: 0.00001, InitialNormalizedFeeSats: 1000}
)

// BlockFee is what the calculator keeps of a block.
type BlockFee struct {
	Height           int64
	TotalFee         float64 // the block's fees as ION counts them (coinbase outputs minus the reward)
	TransactionCount float64
	NormalizedFee    float64 // unrounded, as the reference stores it
}

// FeeWindow computes each block's normalized fee in order, keeping the last LookBackWindowInBlocks
// blocks. Its state (Blocks) must be persisted with the chain position: a block's value depends on the
// previous block's.
type FeeWindow struct {
	Params FeeParameters
	Blocks []BlockFee // the most recent blocks, oldest first
}

// Add computes the normalized fee of the next block and remembers it.
func (w *FeeWindow) Add(height int64, totalFee, transactionCount int64) BlockFee {
	b := BlockFee{Height: height, TotalFee: float64(totalFee), TransactionCount: float64(transactionCount)}
	p := w.Params
	window := p.LookBackWindowInBlocks
	if height < p.Genesis+int64(window) || len(w.Blocks) < window {
		// The genesis window, and (for a node whose state starts later) a window not yet filled.
		b.NormalizedFee = p.InitialNormalizedFeeSats
		if height >= p.Genesis+int64(window) && len(w.Blocks) > 0 {
			b.NormalizedFee = w.Blocks[len(w.Blocks)-1].NormalizedFee
		}
	} else {
		var totalFee, count float64
		for _, prev := range w.Blocks[len(w.Blocks)-window:] {
			totalFee += prev.TotalFee
			count += prev.TransactionCount
		}
		b.NormalizedFee = clamp(totalFee/count, w.Blocks[len(w.Blocks)-1].NormalizedFee, p.MaxFluctuationPerBlock)
	}
	w.Blocks = append(w.Blocks, b)
	if len(w.Blocks) > window {
		w.Blocks = append([]BlockFee(nil), w.Blocks[len(w.Blocks)-window:]...)
	}
	return b
}

// Truncate forgets blocks above height (a reorganization).
func (w *FeeWindow) Truncate(height int64) {
	for len(w.Blocks) > 0 && w.Blocks[len(w.Blocks)-1].Height > height {
		w.Blocks = w.Blocks[:len(w.Blocks)-1]
	}
}

// Latest is the normalized fee of the last block added (rounded down), the initial fee before any.
func (w *FeeWindow) Latest() uint64 {
	if len(w.Blocks) == 0 {
		return uint64(w.Params.InitialNormalizedFeeSats)
	}
	return TransactionNormalizedFee(w.Blocks[len(w.Blocks)-1])
}

// TransactionNormalizedFee is a transaction's normalized fee: its block's, rounded down.
func TransactionNormalizedFee(b BlockFee) uint64 {
	return uint64(math.Floor(b.NormalizedFee))
}

func clamp(unadjusted, previous, fluctuation float64) float64 {
	maxFee := previous * (1 + fluctuation)
	minFee := previous * (1 - fluctuation)
	if unadjusted > maxFee {
		return maxFee
	}
	if unadjusted < minFee {
		return minFee
	}
	return unadjusted
}
