package chainbuild

import (
	"strings"
	"testing"

	"github.com/ionode/ionode/bench/internal/gen"
	"github.com/ionode/ionode/sidetree"
)

func TestParseMix(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Mix
		err  string
	}{
		{"70/25/4/1", Mix{70, 25, 4, 1}, ""},
		{"100/0/0/0", Mix{100, 0, 0, 0}, ""},
		{"70/25/4", Mix{}, "creates/updates/recovers/deactivates"},
		{"70/25/4/2", Mix{}, "add up to 101"},
		{"40/40/10/10", Mix{}, "at least the other operations"},
		{"70/25/x/1", Mix{}, "not a percentage"},
		{"170/-75/4/1", Mix{}, "not a percentage"},
	} {
		got, err := ParseMix(c.in)
		if c.err == "" && (err != nil || got != c.want) {
			t.Errorf("ParseMix(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
		if c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("ParseMix(%q) error %v, want one containing %q", c.in, err, c.err)
		}
	}
}

// TestMixPlanResolves anchors a small mixed plan in memory (batch i is transaction i+1) and resolves every
// DID from its operations: each operation must apply, each DID must be named exactly once by the
// batches' final-state lists, and its state must be the one its list says.
func TestMixPlanResolves(t *testing.T) {
	p := sidetree.Regtest().Latest()
	k, err := gen.NewKeys(nil)
	if err != nil {
		t.Fatal(err)
	}
	plan := NewMixPlan(950, 200, Mix{70, 25, 4, 1})
	if plan.Len() != 5 {
		t.Fatalf("%d batches, want 5", plan.Len())
	}
	ops := map[string][]sidetree.AnchoredOperation{}
	final := map[string]string{}
	counts := map[sidetree.OperationType]int{}
	name := func(state string, suffixes []string) {
		for _, s := range suffixes {
			if prev, ok := final[s]; ok {
				t.Fatalf("DID %s named %s and %s", s, prev, state)
			}
			final[s] = state
		}
	}
	// Built out of order, as parallel builders may: the plan must not depend on the order of calls.
	batches := make([]Batch, plan.Len())
	for _, i := range []int{1, 0, 3, 2, 4} {
		if batches[i], err = plan.Batch(k, i, p); err != nil {
			t.Fatal(err)
		}
	}
	for i, b := range batches {
		for _, raw := range b.Requests {
			op, err := sidetree.ParseOperation(raw)
			if err != nil {
				t.Fatal(err)
			}
			ops[op.DIDSuffix] = append(ops[op.DIDSuffix], sidetree.AnchoredOperation{Type: op.Type, Raw: raw, TransactionNumber: uint64(i + 1)})
			counts[op.Type]++
		}
		name("created", b.Settled)
		name("updated", b.Updated)
		name("recovered", b.Recovered)
		name("deactivated", b.Deactivated)
	}
	want := map[sidetree.OperationType]int{sidetree.OpCreate: 200 + 3*140 + 106, sidetree.OpUpdate: 3*50 + 37, sidetree.OpRecover: 3*8 + 6, sidetree.OpDeactivate: 3*2 + 1}
	for typ, n := range want {
		if counts[typ] != n {
			t.Errorf("%d %s operations, want %d", counts[typ], typ, n)
		}
	}
	if len(final) != len(ops) {
		t.Fatalf("%d DIDs named by the lists, %d in the operations", len(final), len(ops))
	}
	for suffix, history := range ops {
		state, err := sidetree.Resolve(history)
		if err != nil || state == nil {
			t.Fatalf("DID %s: %v", suffix, err)
		}
		if got := state.LastOperationTransaction; got != history[len(history)-1].TransactionNumber {
			t.Fatalf("DID %s: last applied operation in transaction %d of %d", suffix, got, len(history))
		}
		doc := string(state.Document.Stringify())
		ok := map[string]bool{
			"created":     !state.Deactivated() && strings.Contains(doc, "dwn.example.com") && !strings.Contains(doc, "hub.example.com"),
			"updated":     strings.Contains(doc, "hub.example.com"),
			"recovered":   strings.Contains(doc, "recovered.example.com"),
			"deactivated": state.Deactivated(),
		}[final[suffix]]
		if !ok {
			t.Fatalf("DID %s, %s: state %s", suffix, final[suffix], doc)
		}
	}
}
