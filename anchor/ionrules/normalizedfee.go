package ionrules

import (
	"math"

	"github.com/btcsuite/btcd/wire/v2"
	"github.com/ionode/ionode/sidetree"
)

// BlockFee is what ION records of each block for its normalized fee (the reference's BlockMetadata, less
// the hashes): the block's total fee and transaction count, and the block's raw normalized fee.
type BlockFee struct {
	Height int64
	// TotalFee is the sum of the coinbase outputs minus the block subsidy ([CoinbaseFee]); negative when
	// a miner claims less than the subsidy.
	TotalFee int64
	// TransactionCount counts every transaction of the block, the coinbase included.
	TransactionCount int64
	// NormalizedFee is the raw (unfloored) normalized fee computed for this block. The next blocks' fees
	// are computed from it, so it must be stored exactly as computed.
	NormalizedFee float64
}

// BlockSubsidy is the block reward the reference subtracts from the coinbase
// (BitcoinProcessor.getBitcoinBlockReward): 50 BTC halved every 210,000 blocks, 0 after 64 halvings. It
// uses mainnet's halving interval on every network (regtest halves every 150 blocks, so on regtest ION
// computes a negative total fee for blocks past height 149, and so do we).
func BlockSubsidy(height int64) int64 {
	halvings := height / 210_000
	if halvings >= 64 {
		return 0
	}
	return 5_000_000_000 >> halvings
}

// CoinbaseFee is a block's total fee as ION computes it (BitcoinProcessor.getBitcoinBlockTotalFee): the sum
// of the coinbase transaction's outputs minus [BlockSubsidy]. The caller passes the block's first
// transaction.
func CoinbaseFee(height int64, coinbase *wire.MsgTx) int64 {
	var sum int64
	for _, out := range coinbase.TxOut {
		sum += out.Value
	}
	return sum - BlockSubsidy(height)
}

// NormalizedFee computes the raw normalized fee of the block at height (the reference's
// NormalizedFeeCalculator.addNormalizedFeeToBlockMetadata; both bitcoin versions, 1.0 and latest, are
// the same):
//
//   - below genesis + FeeLookBackWindowInBlocks it is InitialNormalizedFeeInSatoshis;
//   - otherwise window must hold the FeeLookBackWindowInBlocks blocks right before height, in order, with
//     their own normalized fees: the average sum(TotalFee) / sum(TransactionCount) is clamped to within
//     FeeMaxFluctuationMultiplierPerBlock of the previous block's raw normalized fee.
//
// The arithmetic is the reference's in float64 (JavaScript numbers: the sums are accumulated as doubles
// in block order). A window that is not exactly the preceding blocks returns CodeFeeWindowIncomplete
// (the reference would average over whatever its store returned; a correct caller never gets there).
func NormalizedFee(net BitcoinNetwork, height int64, window []BlockFee) (float64, error) {
	p, err := net.ParametersAt(height)
	if err != nil {
		return 0, err
	}
	if height < net.Genesis+p.FeeLookBackWindowInBlocks {
		return p.InitialNormalizedFeeInSatoshis, nil
	}
	if int64(len(window)) != p.FeeLookBackWindowInBlocks || window[0].Height != height-p.FeeLookBackWindowInBlocks {
		return 0, sidetree.Errorf(CodeFeeWindowIncomplete, "block %d needs the %d blocks from %d, got %d",
			height, p.FeeLookBackWindowInBlocks, height-p.FeeLookBackWindowInBlocks, len(window))
	}
	var totalFee, totalCount float64
	for i, b := range window {
		if b.Height != window[0].Height+int64(i) {
			return 0, sidetree.Errorf(CodeFeeWindowIncomplete, "block %d missing from the window of block %d",
				window[0].Height+int64(i), height)
		}
		totalFee += float64(b.TotalFee)
		totalCount += float64(b.TransactionCount)
	}
	unadjusted := totalFee / totalCount
	return clampFee(unadjusted, window[len(window)-1].NormalizedFee, p.FeeMaxFluctuationMultiplierPerBlock), nil
}

// clampFee is adjustFeeToWithinFluctuationRate. m is a variable so that 1 ± m rounds as in JavaScript.
func clampFee(unadjusted, previous, m float64) float64 {
	maxAllowed := previous * (1 + m)
	minAllowed := previous * (1 - m)
	if unadjusted > maxAllowed {
		return maxAllowed
	}
	if unadjusted < minAllowed {
		return minAllowed
	}
	return unadjusted
}

// TransactionNormalizedFee is the normalized fee ION hands the core for transactions of a block whose
// raw normalized fee is raw (calculateNormalizedTransactionFeeFromBlock: Math.floor). The fee and lock
// rules take this value. A NaN fee (only from a window of blocks without transactions, which no real
// chain has) gives 0, which every rule treats as the reference treats NaN: as no constraint.
func TransactionNormalizedFee(raw float64) int64 {
	if math.IsNaN(raw) {
		return 0
	}
	return int64(math.Floor(raw))
}
