package ion_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// TestAnswersNeverStale follows one DID through its create, a recovery, a deactivation and two
// rollbacks on the node's embedded store (its state cache and in-memory layer on), and checks after
// each step that Answers serves exactly what a resolver without any cache computes from the
// operations, for the short and the long form, the first time and again. The second resolution of a
// step must come from memory: the test also proves answers are kept.
func TestAnswersNeverStale(t *testing.T) {
	ctx, s := t.Context(), openStore(t)
	network := sidetree.Mainnet()
	p := network.Latest()
	keys := []sidetree.JWK{newKey(t), newKey(t), newKey(t)}
	create, err := sidetree.NewCreateRequest(network.Method, keys[0].Public(), keys[0].Public(), sidetree.Document{}, p)
	if err != nil {
		t.Fatal(err)
	}
	doc := sidetree.Document{Services: []sidetree.Service{{ID: "dwn", Type: "DecentralizedWebNode", Endpoint: sidetree.String("https://dwn.example.com")}}}
	recover, err := sidetree.NewRecoverRequest(create.DIDSuffix, keys[0], keys[1].Public(), keys[2].Public(), doc, p)
	if err != nil {
		t.Fatal(err)
	}
	deactivate, err := sidetree.NewDeactivateRequest(create.DIDSuffix, keys[1], p)
	if err != nil {
		t.Fatal(err)
	}
	anchored := func(typ sidetree.OperationType, body sidetree.Value, tx uint64) []sidetree.AnchoredOperation {
		return []sidetree.AnchoredOperation{{Type: typ, DIDSuffix: create.DIDSuffix, Raw: body.Stringify(), TransactionNumber: tx << 32, TransactionTime: tx}}
	}

	answers := ion.NewAnswers(&ion.Resolver{Network: network, Log: s, Cache: s}, 0)
	truth := &ion.Resolver{Network: network, Log: s} // no cache: every answer from the operations
	short := "did:ion:" + create.DIDSuffix
	check := func(step string, wantStatus int) {
		t.Helper()
		for _, did := range []string{short, create.LongForm} {
			res, err := truth.Resolve(ctx, did)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			want := ion.NewAnswer(res)
			first, err := answers.Answer(ctx, did)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			again, err := answers.Answer(ctx, did)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			for _, got := range []*ion.Answer{first, again} {
				if got.Status != want.Status || !bytes.Equal(got.Body, want.Body) || got.ETag != want.ETag || got.Published != want.Published {
					t.Fatalf("%s, %.30s: served %d %s\nwant %d %s", step, did, got.Status, got.Body, want.Status, want.Body)
				}
			}
			if did == short && want.Status != wantStatus { // the long form resolves unpublished too
				t.Fatalf("%s, %.30s: status %d, want %d", step, did, want.Status, wantStatus)
			}
			if wantStatus == 404 {
				continue // nothing anchored: no state to remember an answer by
			}
			if again != first {
				t.Fatalf("%s, %.30s: the answer was computed again, not remembered", step, did)
			}
		}
	}
	check("nothing anchored", 404)
	for _, step := range []struct {
		name   string
		write  func() error
		status int
	}{
		{"create", func() error { return s.PutOperations(ctx, anchored(sidetree.OpCreate, create.Body, 1)) }, 200},
		{"recover", func() error { return s.PutOperations(ctx, anchored(sidetree.OpRecover, recover, 2)) }, 200},
		{"deactivate", func() error { return s.PutOperations(ctx, anchored(sidetree.OpDeactivate, deactivate, 3)) }, 410},
		{"rollback of the deactivation", func() error { return s.RollbackAfter(ctx, 2<<32|0xffffffff) }, 200},
		{"rollback of the recovery", func() error { return s.RollbackAfter(ctx, 1<<32|0xffffffff) }, 200},
		{"rollback of the create", func() error { return s.RollbackAfter(ctx, 0) }, 404},
	} {
		if err := step.write(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		check(step.name, step.status)
	}
}

// TestAnswersBounded: the byte budget holds, evicting the least recently used answers.
func TestAnswersBounded(t *testing.T) {
	ctx, s, key := t.Context(), openStore(t), newKey(t)
	network := sidetree.Mainnet()
	var dids []string
	for i := range 40 {
		doc := sidetree.Document{Services: []sidetree.Service{{ID: "s", Type: "T", Endpoint: sidetree.String(fmt.Sprintf("https://example.com/%d", i))}}}
		c, err := sidetree.NewCreateRequest(network.Method, key.Public(), key.Public(), doc, network.Latest())
		if err != nil {
			t.Fatal(err)
		}
		op := sidetree.AnchoredOperation{Type: sidetree.OpCreate, DIDSuffix: c.DIDSuffix, Raw: c.Body.Stringify(), TransactionNumber: 1 << 32, OperationIndex: uint32(i)}
		if err := s.PutOperations(ctx, []sidetree.AnchoredOperation{op}); err != nil {
			t.Fatal(err)
		}
		dids = append(dids, "did:ion:"+c.DIDSuffix)
	}
	// Room for about ten answers of ~1 KB each (with their keys and bookkeeping).
	answers := ion.NewAnswers(&ion.Resolver{Network: network, Log: s, Cache: s}, 16<<10)
	first := map[string]*ion.Answer{}
	for _, did := range dids {
		a, err := answers.Answer(ctx, did)
		if err != nil || a.Status != 200 {
			t.Fatalf("%v %v", a, err)
		}
		first[did] = a
	}
	kept := 0
	for _, did := range dids {
		if a, _ := answers.Answer(ctx, did); a == first[did] {
			kept++
		}
	}
	// Resolving them again in order evicts each before it is asked for again: a cache over its budget
	// (or unbounded) would have kept them all.
	if kept != 0 {
		t.Fatalf("%d of %d answers kept within a budget for about ten", kept, len(dids))
	}
	last := dids[len(dids)-1]
	a1, _ := answers.Answer(ctx, last)
	if a2, _ := answers.Answer(ctx, last); a1 != a2 {
		t.Fatal("the most recent answer was not kept")
	}
}

// openStore opens the node's embedded store, closed when the test ends.
func openStore(t *testing.T) *pebble.Store {
	t.Helper()
	s, err := pebble.Open(t.TempDir(), pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

func newKey(t *testing.T) sidetree.JWK {
	t.Helper()
	k, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
