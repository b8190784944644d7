package daemon

import "context"

// capFees applies --max-fee, --max-fee-rate and --max-fee-bumps to the wallet, and has it ask the fee
// budget about every transaction's actual fee, fee bumps included.
func (c *chain) capFees() {
	w, cfg := c.wallet, c.d.cfg
	w.MaxFee, w.MaxFeeRate = cfg.MaxFee, cfg.MaxFeeRate
	w.MaxBumps = cfg.MaxFeeBumps
	if cfg.MaxFeeBumps == 0 {
		w.MaxBumps = -1 // anchor.Writer reads 0 as its default
	}
	if b := c.batches.Budget; b != nil {
		w.ApproveFee = func(ctx context.Context, fee int64, _ string) error { return b.Approve(ctx, uint64(max(fee, 0))) }
	}
}
