package batch

import (
	"testing"

	"github.com/ionode/ionode/sidetree"
)

func TestParseAnchorString(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	tests := []struct {
		in    string
		count int
		uri   string
		code  sidetree.Code
	}{
		{"1.QmA", 1, "QmA", ""},
		{"10000.QmA", 10_000, "QmA", ""},
		{"7.", 7, "", ""}, // the URI fails later, at fetch time
		{"10001.QmA", 0, "", sidetree.CodeAnchoredDataNumberOfOperationsGreaterThanMax},
		{"99999999999999999999.QmA", 0, "", sidetree.CodeAnchoredDataNumberOfOperationsGreaterThanMax},
		{"0.QmA", 0, "", sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{"01.QmA", 0, "", sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{"-1.QmA", 0, "", sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{"+1.QmA", 0, "", sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{" 1.QmA", 0, "", sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{"1\n.QmA", 0, "", sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{"١.QmA", 0, "", sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger}, // \d is ASCII only
		{".QmA", 0, "", sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger},
		{"1.Qm.A", 0, "", sidetree.CodeAnchoredDataIncorrectFormat},
		{"1QmA", 0, "", sidetree.CodeAnchoredDataIncorrectFormat},
		{"", 0, "", sidetree.CodeAnchoredDataIncorrectFormat},
	}
	for _, tc := range tests {
		n, uri, err := ParseAnchorString(tc.in, p)
		if sidetree.CodeOf(err) != tc.code || n != tc.count || uri != tc.uri {
			t.Errorf("%q: %d %q %v, want %d %q %s", tc.in, n, uri, err, tc.count, tc.uri, tc.code)
		}
		if err == nil && AnchorString(n, uri) != tc.in {
			t.Errorf("%q does not round-trip", tc.in)
		}
	}
}

func FuzzParseAnchorString(f *testing.F) {
	for _, s := range []string{"1.QmA", "10000.Qm", "0.x", "1.2.3", "", "01.a", "99999999999.a"} {
		f.Add(s)
	}
	p := sidetree.Mainnet().Latest()
	f.Fuzz(func(t *testing.T, s string) {
		n, uri, err := ParseAnchorString(s, p)
		if err != nil {
			if sidetree.CodeOf(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		if n < 1 || n > p.MaxOperationsPerBatch || AnchorString(n, uri) != s {
			t.Fatalf("%q accepted as %d %q", s, n, uri)
		}
	})
}
