package gen

import (
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// TestRequestsValidate checks the generated requests pass the node's request validation and that the
// creates really are distinct DIDs.
func TestRequestsValidate(t *testing.T) {
	p := sidetree.Regtest().Latest()
	k, err := NewKeys(nil)
	if err != nil {
		t.Fatal(err)
	}
	creates, err := Creates(k, 0, 3, p)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var suffixes []string
	for _, c := range creates {
		op, err := sidetree.ValidateRequest(c.Request, p)
		if err != nil || op.Type != sidetree.OpCreate {
			t.Fatalf("create: %v", err)
		}
		if seen[c.Suffix] {
			t.Fatalf("suffix %s twice", c.Suffix)
		}
		seen[c.Suffix] = true
		suffixes = append(suffixes, c.Suffix)
	}
	updates, err := Updates(k, suffixes, p)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range updates {
		op, err := sidetree.ValidateRequest(u, p)
		if err != nil || op.Type != sidetree.OpUpdate {
			t.Fatalf("update %d: %v", i, err)
		}
		state := sidetree.Apply(sidetree.AnchoredOperation{Type: sidetree.OpCreate, Raw: creates[i].Request, TransactionNumber: 1}, nil)
		if state == nil || sidetree.ApplyParsed(op, 2, state) == nil {
			t.Fatalf("update %d does not apply to its DID", i)
		}
	}
}
