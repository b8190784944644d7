package ionrules

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"
	"github.com/ionode/ionode/sidetree"
)

// Expected values: NODE_PATH=/tmp/ionrules-ref/node_modules node testdata/refgen/subsidy.js.
func TestBlockSubsidy(t *testing.T) {
	for _, tc := range []struct{ height, want int64 }{
		{0, 5000000000}, {1, 5000000000}, {209999, 5000000000}, {210000, 2500000000}, {420000, 1250000000},
		{629999, 1250000000}, {630000, 625000000}, {840000, 312500000}, {6929999, 1}, {6930000, 0},
		{13439999, 0}, {13440000, 0}, {1000000000, 0},
	} {
		if got := BlockSubsidy(tc.height); got != tc.want {
			t.Errorf("BlockSubsidy(%d) = %d, want %d", tc.height, got, tc.want)
		}
	}
}

// Expected values: NODE_PATH=/tmp/ionrules-ref/node_modules node testdata/refgen/subsidy.js.
func TestCoinbaseFee(t *testing.T) {
	cb := wire.NewMsgTx(1)
	for _, v := range []int64{312500000, 7654321, 0} {
		cb.AddTxOut(wire.NewTxOut(v, nil))
	}
	if got := CoinbaseFee(840000, cb); got != 7654321 {
		t.Errorf("CoinbaseFee = %d, want 7654321", got)
	}
	under := wire.NewMsgTx(1)
	under.AddTxOut(wire.NewTxOut(600000000, nil))
	if got := CoinbaseFee(700000, under); got != -25000000 {
		t.Errorf("CoinbaseFee of an under-claiming miner = %d, want -25000000", got)
	}
}

type feeGolden struct {
	Network struct {
		Genesis     int64
		Window      int64
		Fluctuation float64
		Initial     float64
	}
	Blocks []struct {
		Height                   int64
		TotalFee                 int64
		TransactionCount         int64
		NormalizedFee            float64
		TransactionNormalizedFee int64
	}
}

// loadFeeGolden reads blocks computed by ION's NormalizedFeeCalculator:
//
//	testdata/normalizedfee_mainnet.json: node testdata/refgen/normalizedfee.js 667000 100 0.00001 1000 600 7 150
//	testdata/normalizedfee_window3.json: node testdata/refgen/normalizedfee.js 100 3 0.1 400 300 11 37
func loadFeeGolden(t *testing.T, name string) (feeGolden, BitcoinNetwork) {
	t.Helper()
	raw, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var g feeGolden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	net := BitcoinNetwork{Name: name, Genesis: g.Network.Genesis, Versions: []BitcoinVersion{{g.Network.Genesis, BitcoinParameters{
		FeeLookBackWindowInBlocks:           g.Network.Window,
		FeeMaxFluctuationMultiplierPerBlock: g.Network.Fluctuation,
		InitialNormalizedFeeInSatoshis:      g.Network.Initial,
		ValueTimeLockDurationInBlocks:       4500,
	}}}}
	return g, net
}

var feeGoldens = []string{"testdata/normalizedfee_mainnet.json", "testdata/normalizedfee_window3.json"}

func TestNormalizedFeeMatchesReference(t *testing.T) {
	for _, name := range feeGoldens {
		g, net := loadFeeGolden(t, name)
		w, err := NewFeeWindow(net, nil)
		if err != nil {
			t.Fatal(err)
		}
		var up, down, within int
		for i, b := range g.Blocks {
			got, err := w.Add(b.Height, b.TotalFee, b.TransactionCount)
			if err != nil {
				t.Fatalf("%s: block %d: %v", name, b.Height, err)
			}
			if got.NormalizedFee != b.NormalizedFee || TransactionNormalizedFee(got.NormalizedFee) != b.TransactionNormalizedFee {
				t.Fatalf("%s: block %d: normalized fee %v (%d), reference %v (%d)", name, b.Height, got.NormalizedFee,
					TransactionNormalizedFee(got.NormalizedFee), b.NormalizedFee, b.TransactionNormalizedFee)
			}
			if int64(i) >= g.Network.Window {
				prev := g.Blocks[i-1].NormalizedFee
				switch {
				case b.NormalizedFee == prev*(1+g.Network.Fluctuation):
					up++
				case b.NormalizedFee == prev*(1-g.Network.Fluctuation):
					down++
				default:
					within++
				}
			}
		}
		t.Logf("%s: %d blocks clamped up, %d down, %d within the band", name, up, down, within)
		if up == 0 || down == 0 || (name == feeGoldens[1] && within == 0) {
			t.Errorf("%s: the data does not exercise every branch of the clamp", name)
		}
	}
}

// TestNormalizedFeeGenesisWindow checks the boundary: the last block of the initial window still has the
// initial fee, the first block after it is computed from the window.
func TestNormalizedFeeGenesisWindow(t *testing.T) {
	net := BitcoinMainnet()
	window := make([]BlockFee, 100)
	for i := range window {
		// An average of 2000 sat per transaction: far above, so the first computed fee clamps up.
		window[i] = BlockFee{Height: 667_000 + int64(i), TotalFee: 2_000_000, TransactionCount: 1000, NormalizedFee: 1000}
	}
	for _, tc := range []struct {
		height int64
		window []BlockFee
		want   float64
		code   sidetree.Code
	}{
		{667_000, nil, 1000, ""},
		{667_099, nil, 1000, ""},
		{667_100, window, 1000.0100000000001, ""}, // 1000 * (1 + 0.00001) in float64, as ION stores it
		{667_100, window[1:], 0, CodeFeeWindowIncomplete},
		{667_101, window, 0, CodeFeeWindowIncomplete},
		{666_999, nil, 0, CodeVersionManagerVersionStringNotFound},
	} {
		got, err := NormalizedFee(net, tc.height, tc.window)
		if sidetree.CodeOf(err) != tc.code || got != tc.want {
			t.Errorf("NormalizedFee(%d, %d blocks) = %v, %v; want %v, code %q", tc.height, len(tc.window), got, err, tc.want, tc.code)
		}
	}
	low := append([]BlockFee(nil), window...)
	for i := range low {
		low[i].TotalFee = 1000
	}
	if got, _ := NormalizedFee(net, 667_100, low); got != 1000*(1-0.00001) {
		t.Errorf("clamp down: %v", got)
	}
}

func TestFeeWindowRestartAndRewind(t *testing.T) {
	g, net := loadFeeGolden(t, feeGoldens[0])
	records := make([]BlockFee, len(g.Blocks))
	for i, b := range g.Blocks {
		records[i] = BlockFee{Height: b.Height, TotalFee: b.TotalFee, TransactionCount: b.TransactionCount, NormalizedFee: b.NormalizedFee}
	}
	// A restart at any height continues exactly, given the stored records before it.
	for _, at := range []int{0, 1, 50, 99, 100, 101, 250} {
		w, err := NewFeeWindow(net, records[:at])
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range records[at:] {
			got, err := w.Add(want.Height, want.TotalFee, want.TransactionCount)
			if err != nil || got != want {
				t.Fatalf("restart at %d: block %d = %+v, %v; want %+v", at, want.Height, got, err, want)
			}
		}
	}
	// A restart with too few records for the next block fails instead of averaging a short window.
	w, _ := NewFeeWindow(net, records[150:200])
	if _, err := w.Add(records[200].Height, 1, 1); sidetree.CodeOf(err) != CodeFeeWindowIncomplete {
		t.Errorf("short window: %v", err)
	}
	// A reorg within the margin rewinds; the replacement blocks get fees from the surviving window.
	w, _ = NewFeeWindow(net, records[:300])
	if err := w.Rewind(records[289].Height); err != nil {
		t.Fatal(err)
	}
	if w.Next() != records[290].Height {
		t.Fatalf("Next after rewind = %d", w.Next())
	}
	for _, want := range records[290:] {
		if got, err := w.Add(want.Height, want.TotalFee, want.TransactionCount); err != nil || got != want {
			t.Fatalf("after rewind: block %d = %+v, %v", want.Height, got, err)
		}
	}
	if err := w.Rewind(records[100].Height); err == nil {
		t.Error("rewinding past what the window holds succeeded")
	}
	if _, err := w.Add(w.Next()+1, 1, 1); err == nil {
		t.Error("Add skipped a height")
	}
}
