package anchor

import (
	"context"
	"errors"
	"fmt"
)

// ErrFeeCap is wrapped by the error of a transaction or fee bump the writer will not pay for: over
// Writer.MaxFee or Writer.MaxFeeRate, past Writer.MaxBumps, or refused by Writer.ApproveFee.
var ErrFeeCap = errors.New("anchor: fee cap")

// DefaultMaxBumps is Writer.MaxBumps's default: five bumps of 1.5× take a fee to 7.6× its first value.
const DefaultMaxBumps = 5

// bumpFee is the fee of a replacement for a transaction of size bytes paying fee: half again as much,
// and at least the relay fee of its own size more (BIP 125).
func bumpFee(fee int64, size int) int64 {
	return max(fee*3/2, fee+int64(size)*2)
}

// maxBumps is how many times one transaction may be replaced.
func (w *Writer) maxBumps() int {
	switch {
	case w.MaxBumps < 0:
		return 0
	case w.MaxBumps == 0:
		return DefaultMaxBumps
	}
	return w.MaxBumps
}

// bumpsOf counts the replacements that led to txid (the chain of ReplacedBy among pending records).
func bumpsOf(pending []PendingTx, txid string) int {
	replaced := map[string]string{} // replacement → the transaction it replaced
	for _, p := range pending {
		if p.ReplacedBy != "" {
			replaced[p.ReplacedBy] = p.TxID
		}
	}
	n := 0
	for seen := map[string]bool{}; replaced[txid] != "" && !seen[txid]; n++ {
		seen[txid] = true
		txid = replaced[txid]
	}
	return n
}

// capRate lowers a fee rate estimate (satoshis per 1,000 bytes) to MaxFeeRate.
func (w *Writer) capRate(rate int64) int64 {
	if w.MaxFeeRate > 0 {
		return min(rate, w.MaxFeeRate)
	}
	return rate
}

// approveFee checks a signed transaction of size bytes paying fee against the ceilings, then asks
// ApproveFee (replaces: the transaction a fee bump replaces, or "").
func (w *Writer) approveFee(ctx context.Context, fee int64, size int, replaces string) error {
	if w.MaxFee > 0 && fee > w.MaxFee {
		return fmt.Errorf("%w: fee %d satoshis is over the maximum of %d (--max-fee)", ErrFeeCap, fee, w.MaxFee)
	}
	if w.MaxFeeRate > 0 && size > 0 && fee*1000 > w.MaxFeeRate*int64(size) {
		return fmt.Errorf("%w: fee %d satoshis for %d bytes is over the maximum rate of %d satoshis per 1,000 bytes (--max-fee-rate)", ErrFeeCap, fee, size, w.MaxFeeRate)
	}
	if w.ApproveFee != nil {
		if err := w.ApproveFee(ctx, fee, replaces); err != nil {
			return fmt.Errorf("%w: %w", ErrFeeCap, err)
		}
	}
	return nil
}
