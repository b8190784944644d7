package interop

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ionode/ionode/anchor/ionrules"
	"github.com/ionode/ionode/sidetree"
)

// TestRulesAgainstReference runs random inputs through ION's fee, lock, normalized-fee and selection
// rules in the reference and in anchor/ionrules.
func TestRulesAgainstReference(t *testing.T) {
	ref := startReference(t)
	p := sidetree.Mainnet().Latest()
	rng := rand.New(rand.NewPCG(5, 5))
	type fee struct {
		NormalizedFee uint64 `json:"normalizedFee"`
		Operations    int    `json:"operations"`
		FeePaid       uint64 `json:"feePaid"`
	}
	var fees []fee
	for range 300 {
		n := uint64(1 + rng.IntN(5000))
		ops := 1 + rng.IntN(10_000)
		fees = append(fees, fee{n, ops, uint64(float64(n) * (0.5 + rng.Float64()*float64(ops)/500))})
	}
	type lockJSON struct {
		AmountLocked  int64  `json:"amountLocked"`
		Owner         string `json:"owner"`
		LockTime      uint64 `json:"lockTime"`
		UnlockTime    uint64 `json:"unlockTime"`
		NormalizedFee uint64 `json:"normalizedFee"`
	}
	type lockCase struct {
		Lock       *lockJSON `json:"lock"`
		Operations int       `json:"operations"`
		Time       uint64    `json:"time"`
		Writer     string    `json:"writer"`
	}
	var locks []lockCase
	for range 300 {
		c := lockCase{Operations: 1 + rng.IntN(12_000), Time: uint64(90 + rng.IntN(130)), Writer: []string{"a", "b"}[rng.IntN(2)]}
		if rng.IntN(4) != 0 {
			c.Lock = &lockJSON{AmountLocked: rng.Int64N(1_000_000_000), Owner: "a", LockTime: 100, UnlockTime: 200, NormalizedFee: uint64(500 + rng.IntN(2000))}
		}
		locks = append(locks, c)
	}
	type block struct {
		Height           int64 `json:"height"`
		TransactionCount int64 `json:"transactionCount"`
		TotalFee         int64 `json:"totalFee"`
	}
	var blocks []block
	for h := int64(0); h < 400; h++ {
		blocks = append(blocks, block{h, 1 + rng.Int64N(3000), rng.Int64N(5_000_000) - 100_000})
	}
	type candidate struct {
		Number       uint64 `json:"number"`
		AnchorString string `json:"anchorString"`
		FeePaid      uint64 `json:"feePaid"`
		Writer       string `json:"writer"`
	}
	var selections [][]candidate
	for range 100 {
		var txs []candidate
		for i := range 1 + rng.IntN(400) {
			anchor := fmt.Sprintf("%d.Qm", 1+rng.IntN(10_000))
			if rng.IntN(20) == 0 {
				anchor = []string{"0.x", "01.x", "x", "10001.x", "5.a.b"}[rng.IntN(5)]
			}
			txs = append(txs, candidate{uint64(7_000_000 + i), anchor, uint64(rng.IntN(50)) * 1000, fmt.Sprint("w", rng.IntN(300))})
		}
		selections = append(selections, txs)
	}
	var got struct {
		MinimumFees    []uint64   `json:"minimumFees"`
		FeeChecks      []string   `json:"feeChecks"`
		LockChecks     []string   `json:"lockChecks"`
		NormalizedFees []float64  `json:"normalizedFees"`
		Selections     [][]uint64 `json:"selections"`
	}
	args := map[string]any{"fees": fees, "locks": locks, "blocks": blocks, "selections": selections,
		"feeParams": map[string]any{"genesis": 0, "initial": 1000, "window": 100, "fluctuation": 0.00001}}
	if err := ref.Call("rules", args, &got); err != nil {
		t.Fatal(err)
	}
	for i, f := range fees {
		min, _ := ionrules.MinimumTransactionFee(float64(f.NormalizedFee), f.Operations, p)
		if ours := uint64(math.Ceil(min)); ours != got.MinimumFees[i] {
			t.Errorf("MinimumFee(%d, %d) = %d, reference %d", f.NormalizedFee, f.Operations, ours, got.MinimumFees[i])
		}
		if c := string(sidetree.CodeOf(ionrules.VerifyTransactionFee(int64(f.FeePaid), f.Operations, int64(f.NormalizedFee), p))); c != got.FeeChecks[i] {
			t.Errorf("VerifyFee(%+v) = %q, reference %q", f, c, got.FeeChecks[i])
		}
	}
	for i, l := range locks {
		var lock *ionrules.ValueTimeLock
		if l.Lock != nil {
			lock = &ionrules.ValueTimeLock{Owner: l.Lock.Owner, AmountLocked: l.Lock.AmountLocked, LockTransactionTime: int64(l.Lock.LockTime),
				UnlockTransactionTime: int64(l.Lock.UnlockTime), NormalizedFee: int64(l.Lock.NormalizedFee)}
		}
		if c := string(sidetree.CodeOf(ionrules.VerifyLockAmount(lock, l.Operations, int64(l.Time), l.Writer, sidetree.Regtest()))); c != got.LockChecks[i] {
			t.Errorf("VerifyLock(%+v) = %q, reference %q", l, c, got.LockChecks[i])
		}
	}
	net := ionrules.BitcoinNetwork{Name: "window100", Versions: []ionrules.BitcoinVersion{{StartingBlockchainTime: 0, Parameters: ionrules.BitcoinParameters{
		FeeLookBackWindowInBlocks: 100, FeeMaxFluctuationMultiplierPerBlock: 0.00001, InitialNormalizedFeeInSatoshis: 1000, ValueTimeLockDurationInBlocks: 4500}}}}
	w, err := ionrules.NewFeeWindow(net, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range blocks {
		rec, err := w.Add(b.Height, b.TotalFee, b.TransactionCount)
		if ours := rec.NormalizedFee; err != nil || ours != got.NormalizedFees[i] {
			t.Fatalf("block %d: normalized fee %v (%v), reference %v", b.Height, ours, err, got.NormalizedFees[i])
		}
	}
	for i, txs := range selections {
		cands := make([]ionrules.Candidate, len(txs))
		for j, c := range txs {
			cands[j] = ionrules.Candidate{Number: int64(c.Number), Time: 7, AnchorString: c.AnchorString, FeePaid: int64(c.FeePaid), Writer: c.Writer}
		}
		picked, err := ionrules.Select(cands, nil, p)
		if err != nil {
			t.Fatal(err)
		}
		var ours []uint64
		for _, c := range picked {
			ours = append(ours, uint64(c.Number))
		}
		if fmt.Sprint(ours) != fmt.Sprint(got.Selections[i]) && !(len(ours) == 0 && len(got.Selections[i]) == 0) {
			t.Errorf("selection %d: ours %v, reference %v", i, ours, got.Selections[i])
		}
	}
}
