package gen

import (
	"crypto/rand"
	"strings"
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

// TestUpdateChainApplies resolves a DID from its create and chained updates: every update must apply,
// so the last one's commitment is the state's, and the document keeps the create's service and the last one added.
func TestUpdateChainApplies(t *testing.T) {
	p := sidetree.Regtest().Latest()
	k, err := NewKeys(nil)
	if err != nil {
		t.Fatal(err)
	}
	keys := []sidetree.JWK{k.Update}
	for range 4 {
		key, err := sidetree.GenerateES256K(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
	}
	creates, err := Creates(k, 0, 1, p)
	if err != nil {
		t.Fatal(err)
	}
	updates, err := UpdateChain(creates[0].Suffix, keys, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(updates) != len(keys)-1 {
		t.Fatalf("%d updates for %d keys", len(updates), len(keys))
	}
	ops := []sidetree.AnchoredOperation{{Type: sidetree.OpCreate, Raw: creates[0].Request, TransactionNumber: 1}}
	for i, u := range updates {
		ops = append(ops, sidetree.AnchoredOperation{Type: sidetree.OpUpdate, Raw: u, TransactionNumber: uint64(2 + i)})
	}
	state, err := sidetree.Resolve(ops)
	if err != nil || state == nil {
		t.Fatalf("resolve: %v", err)
	}
	if want := uint64(len(ops)); state.LastOperationTransaction != want {
		t.Fatalf("last operation applied at transaction %d, want %d (not every update applied)", state.LastOperationTransaction, want)
	}
	services, _ := state.Document.Get("services")
	// The create's service and the last update's: each update removed the one before it.
	if got := services.String(); services.Len() != 2 || !strings.Contains(got, `"svc-3"`) {
		t.Fatalf("services %s, want the create's and svc-3", got)
	}
}

// TestRecoverAndDeactivateApply resolves DIDs recovered and deactivated by generated requests: each must
// be applied (not rejected), so the recovered document is the new one and the deactivated DID is
// deactivated.
func TestRecoverAndDeactivateApply(t *testing.T) {
	p := sidetree.Regtest().Latest()
	k, err := NewKeys(nil)
	if err != nil {
		t.Fatal(err)
	}
	creates, err := Creates(k, 0, 2, p)
	if err != nil {
		t.Fatal(err)
	}
	recovers, err := Recovers(k, []string{creates[0].Suffix}, 0, p)
	if err != nil {
		t.Fatal(err)
	}
	deactivates, err := Deactivates(k, []string{creates[1].Suffix}, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name        string
		create, op  []byte
		t           sidetree.OperationType
		deactivated bool
		doc         string
	}{
		{"recover", creates[0].Request, recovers[0], sidetree.OpRecover, false, RecoveredEndpoint(0)},
		{"deactivate", creates[1].Request, deactivates[0], sidetree.OpDeactivate, true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			state, err := sidetree.Resolve([]sidetree.AnchoredOperation{
				{Type: sidetree.OpCreate, Raw: c.create, TransactionNumber: 1},
				{Type: c.t, Raw: c.op, TransactionNumber: 2},
			})
			if err != nil || state == nil {
				t.Fatalf("resolve: %v", err)
			}
			if state.LastOperationTransaction != 2 {
				t.Fatalf("the %s was not applied", c.name)
			}
			if state.Deactivated() != c.deactivated {
				t.Fatalf("deactivated %v, want %v", state.Deactivated(), c.deactivated)
			}
			if doc := string(state.Document.Stringify()); !c.deactivated && (!strings.Contains(doc, c.doc) || strings.Contains(doc, "dwn.example.com")) {
				t.Fatalf("document %s, want %q and not the create's service", doc, c.doc)
			}
		})
	}
}
