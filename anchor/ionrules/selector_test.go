package ionrules

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// TestSelectMatchesReference runs the scenarios of testdata/selector_reference.json, whose expected
// selections come from ION's TransactionSelector: node testdata/refgen/selector.js (see there). They
// cover the operation cap exactly met and overflowed (the overflowing transaction ends the walk), 300 and
// 301 transactions, fee ties, one transaction per writer even when malformed, malformed anchor strings,
// transactions already processed in the block, and random blocks.
func TestSelectMatchesReference(t *testing.T) {
	raw, err := os.ReadFile("testdata/selector_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	type tx struct {
		Number int64
		Time   int64
		Anchor string
		Fee    int64
		Writer string
	}
	var scenarios []struct {
		Name       string
		Candidates []tx
		Processed  []tx
		WantCode   sidetree.Code
		Want       []int64
	}
	if err := json.Unmarshal(raw, &scenarios); err != nil {
		t.Fatal(err)
	}
	conv := func(in []tx) []Candidate {
		out := make([]Candidate, len(in))
		for i, c := range in {
			out[i] = Candidate{Number: c.Number, Time: c.Time, AnchorString: c.Anchor, FeePaid: c.Fee, Writer: c.Writer}
		}
		return out
	}
	for _, sc := range scenarios {
		got, err := Select(conv(sc.Candidates), conv(sc.Processed), v1)
		if sidetree.CodeOf(err) != sc.WantCode || (err != nil) != (sc.WantCode != "") {
			t.Errorf("%s: error %v, want code %q", sc.Name, err, sc.WantCode)
			continue
		}
		numbers := make([]int64, len(got))
		for i, c := range got {
			numbers[i] = c.Number
		}
		want := slices.Clone(sc.Want)
		slices.Sort(want)
		if !slices.Equal(numbers, want) {
			t.Errorf("%s: selected %v, reference %v", sc.Name, numbers, want)
		}
	}
}

// Expected values: ION's AnchoredDataSerializer.deserialize (a count that parses is one it accepts).
func TestAnchorOperationCount(t *testing.T) {
	for _, tc := range []struct {
		anchor string
		want   int
		ok     bool
	}{
		{"1.Qm", 1, true}, {"10000.Qm", 10000, true}, {"10001.Qm", 0, false}, {"0.Qm", 0, false}, {"01.Qm", 0, false},
		{"1.", 1, true}, {".Qm", 0, false}, {"1", 0, false}, {"1.2.3", 0, false}, {"+1.Qm", 0, false}, {"1e3.Qm", 0, false},
		{"١.Qm", 0, false}, {"99999999999999999999.Qm", 0, false}, {"", 0, false},
	} {
		got, ok := AnchorOperationCount(tc.anchor, v1)
		if got != tc.want || ok != tc.ok {
			t.Errorf("AnchorOperationCount(%q) = %d, %v; want %d, %v", tc.anchor, got, ok, tc.want, tc.ok)
		}
	}
}
