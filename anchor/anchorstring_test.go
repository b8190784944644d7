package anchor

import (
	"errors"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

func TestParseAnchorString(t *testing.T) {
	const cid = "QmWd5PH6vyRH5kMdzZRPBnf952dbR4av3Bd7B2wBqMaAcf"
	tests := []struct {
		in   string
		want Anchor
		code sidetree.Code
	}{
		{in: "1." + cid, want: Anchor{1, cid}},
		{in: "10000." + cid, want: Anchor{10000, cid}},
		{in: "42.", want: Anchor{42, ""}}, // the URI is checked when the file is fetched
		{in: "10001." + cid, code: sidetree.CodeAnchoredDataNumberOfOperationsGreaterThanMax},
		{in: "99999999999999999999999." + cid, code: sidetree.CodeAnchoredDataNumberOfOperationsGreaterThanMax},
		{in: "0." + cid, code: sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{in: "01." + cid, code: sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{in: "-1." + cid, code: sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{in: "+1." + cid, code: sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{in: "1e3." + cid, code: sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{in: " 1." + cid, code: sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{in: "١." + cid, code: sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger}, // Arabic-Indic digit
		{in: "." + cid, code: sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{in: cid, code: sidetree.CodeAnchoredDataIncorrectFormat},
		{in: "1." + cid + ".x", code: sidetree.CodeAnchoredDataIncorrectFormat},
		{in: "", code: sidetree.CodeAnchoredDataIncorrectFormat},
	}
	for _, tt := range tests {
		got, err := ParseAnchorString(tt.in)
		if tt.code != "" {
			var se *sidetree.Error
			if !errors.As(err, &se) || se.Code != tt.code {
				t.Errorf("ParseAnchorString(%q) error = %v, want code %s", tt.in, err, tt.code)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseAnchorString(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if s := got.String(); s != tt.in {
			t.Errorf("round trip %q -> %q", tt.in, s)
		}
	}
}

func TestTransactionNumber(t *testing.T) {
	tests := []struct {
		height uint64
		index  int
		want   uint64
		fail   bool
	}{
		{667000, 0, 667000000000, false},
		{667000, 999999, 667000999999, false},
		{1900000, 12, 1900000000012, false},
		{0, 1, 1, false},
		{9_000_000_000, 5, 9_000_000_000_000_005, false},
		{1, 1_000_000, 0, true},
		{9_000_000_001, 0, 0, true},
		{1, -1, 0, true},
	}
	for _, tt := range tests {
		got, err := TransactionNumber(tt.height, tt.index)
		if (err != nil) != tt.fail || got != tt.want {
			t.Errorf("TransactionNumber(%d, %d) = %d, %v", tt.height, tt.index, got, err)
		}
		if !tt.fail && BlockOfTransactionNumber(got) != tt.height {
			t.Errorf("BlockOfTransactionNumber(%d) = %d", got, BlockOfTransactionNumber(got))
		}
	}
	if got := LastTransactionNumberOfBlock(667000); got != 667000999999 {
		t.Errorf("LastTransactionNumberOfBlock = %d", got)
	}
}

func TestAnchorScriptLimit(t *testing.T) {
	ok := strings.Repeat("a", MaxDataCarrierSize-len(Prefix))
	s, err := AnchorScript(Prefix, ok)
	if err != nil {
		t.Fatal(err)
	}
	if got, found := OutputAnchorString(s, Prefix); !found || got != ok {
		t.Fatalf("round trip: %q %v", got, found)
	}
	if _, err := AnchorScript(Prefix, ok+"a"); !errors.Is(err, ErrDataTooLarge) {
		t.Fatalf("81 bytes: %v", err)
	}
}
