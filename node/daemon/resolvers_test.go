package daemon

import (
	"bytes"
	"testing"

	"github.com/ionode/ionode/internal/storetest"
	"github.com/ionode/ionode/node/store/mongo"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// TestIdentifiersAnswerHeld: the node's GET /identifiers resolver passes on the answers its did:ion cache
// has at hand (node's resolution route serves those without a request deadline), and has none for other
// methods.
func TestIdentifiersAnswerHeld(t *testing.T) {
	ctx := t.Context()
	s, err := pebble.Open(t.TempDir(), pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	network := sidetree.Regtest()
	did := "did:" + network.Method + ":" + storetest.PutCreate(t, s, network, sidetree.Document{})
	ids := identifiers{answers: ion.NewAnswers(&ion.Resolver{Network: network, Log: s, Cache: s}, 0)}
	if _, ok := ids.AnswerHeld(did); ok {
		t.Fatal("an answer at hand before it was computed")
	}
	want, err := ids.Answer(ctx, did)
	if err != nil || want.Status != 200 {
		t.Fatalf("answer: %v %v", want, err)
	}
	held, ok := ids.AnswerHeld(did)
	if !ok || held.Status != want.Status || !bytes.Equal(held.Body, want.Body) || held.ETag != want.ETag {
		t.Fatalf("held: %v", ok)
	}
	if _, ok := ids.AnswerHeld("did:web:example.com"); ok {
		t.Fatal("a did:web answer at hand")
	}
}

// TestOnlyMemoryGenerationsHeld: the embedded store tells generations from memory, so its answers at
// hand are served without a deadline; MongoDB's generation check is a network round trip, which only a
// request's deadline bounds, so its store must not claim to hold any.
func TestOnlyMemoryGenerationsHeld(t *testing.T) {
	if _, ok := any((*pebble.Store)(nil)).(ion.HeldGenerations); !ok {
		t.Error("the embedded store holds no generations: every resolution would pay for a deadline")
	}
	if _, ok := any((*mongo.Store)(nil)).(ion.HeldGenerations); ok {
		t.Error("the MongoDB store claims to hold generations: its round trips would run without a deadline")
	}
}
