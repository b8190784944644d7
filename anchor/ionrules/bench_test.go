package ionrules

import (
	"strconv"
	"testing"
)

// BenchmarkSelect measures one block's selection with 1,000 candidates of distinct writers (above the
// 300-transaction cap) and 100 already processed.
func BenchmarkSelect(b *testing.B) {
	cands := make([]Candidate, 1000)
	for i := range cands {
		cands[i] = Candidate{Number: 700_000_000_000 + int64(i), Time: 700_000, AnchorString: strconv.Itoa(1+i%5000) + ".Qm",
			FeePaid: int64((i * 7919) % 100_000), Writer: "w" + strconv.Itoa(i)}
	}
	processed := cands[:100]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Select(cands[100:], processed, v1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFeeWindowAdd measures the normalized fee of one block on testnet, whose window is 1,000 blocks.
func BenchmarkFeeWindowAdd(b *testing.B) {
	net := BitcoinTestnet()
	w, _ := NewFeeWindow(net, nil)
	for i := range int64(2000) {
		if _, err := w.Add(net.Genesis+i, 5_000_000, 2500); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.Add(w.Next(), 5_000_000, 2500); err != nil {
			b.Fatal(err)
		}
	}
}
