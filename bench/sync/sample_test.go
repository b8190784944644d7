package main

import (
	"testing"

	"github.com/ionode/ionode/bench/internal/gen"
	"github.com/ionode/ionode/sidetree"
)

// TestMatches resolves one DID into each final state and checks that matches accepts it as that state
// and as no other.
func TestMatches(t *testing.T) {
	p := sidetree.Regtest().Latest()
	k, err := gen.NewKeys(nil)
	if err != nil {
		t.Fatal(err)
	}
	creates, err := gen.Creates(k, 0, 1, p)
	if err != nil {
		t.Fatal(err)
	}
	suffix := []string{creates[0].Suffix}
	update, err := gen.Updates(k, suffix, p)
	if err != nil {
		t.Fatal(err)
	}
	recovers, err := gen.Recovers(k, suffix, 0, p)
	if err != nil {
		t.Fatal(err)
	}
	deactivates, err := gen.Deactivates(k, suffix, p)
	if err != nil {
		t.Fatal(err)
	}
	create := sidetree.AnchoredOperation{Type: sidetree.OpCreate, Raw: creates[0].Request, TransactionNumber: 1}
	states := map[string]*sidetree.State{}
	for state, ops := range map[string][]sidetree.AnchoredOperation{
		finalCreated:     {create},
		finalUpdated:     {create, {Type: sidetree.OpUpdate, Raw: update[0], TransactionNumber: 2}},
		finalRecovered:   {create, {Type: sidetree.OpRecover, Raw: recovers[0], TransactionNumber: 2}},
		finalDeactivated: {create, {Type: sidetree.OpDeactivate, Raw: deactivates[0], TransactionNumber: 2}},
	} {
		if states[state], err = sidetree.Resolve(ops); err != nil || states[state] == nil {
			t.Fatalf("%s: %v", state, err)
		}
	}
	for got, s := range states {
		for _, want := range []string{finalCreated, finalUpdated, finalRecovered, finalDeactivated} {
			if matches(want, s) != (got == want) {
				t.Errorf("matches(%s, a %s DID) = %v", want, got, !(got == want))
			}
		}
		if matches(got, nil) {
			t.Errorf("matches(%s, nil) = true", got)
		}
	}
}
