package sidetree

import (
	"bytes"
	"net/http"
	"testing"
)

// checkAppendResolveDID checks that the serialized resolution of did from anchored is ResolveDID's, byte
// for byte, with its status and published flag.
func checkAppendResolveDID(t testing.TB, did *DID, anchored []AnchoredOperation) {
	t.Helper()
	want := ResolveDID(did, anchored)
	got, status, published := AppendResolveDID([]byte("prefix"), did, anchored)
	if status != want.Status || published != want.Published() || !bytes.Equal(got, want.Body.AppendStringify([]byte("prefix"))) {
		t.Fatalf("AppendResolveDID of %s: %d %v\n%s\nResolveDID: %d %v\n%s", did, status, published, got, want.Status, want.Published(), want.Body)
	}
}

// checkAppendResolutionResult checks the writer against the tree for one state, and AppendResolveDIDState
// against ResolveDIDState for it as the published state.
func checkAppendResolutionResult(t testing.TB, state *State, did *DID, published bool) {
	t.Helper()
	want := ResolutionResult(state, did, published).AppendStringify([]byte("x"))
	if got := AppendResolutionResult([]byte("x"), state, did, published); !bytes.Equal(got, want) {
		t.Fatalf("written:  %s\ncomposed: %s", got, want)
	}
	res := ResolveDIDState(did, state)
	got, status, pub := AppendResolveDIDState(nil, did, state)
	if status != res.Status || pub != res.Published() || !bytes.Equal(got, res.Body.Stringify()) {
		t.Fatalf("AppendResolveDIDState: %d %v %s\nResolveDIDState: %d %v %s", status, pub, got, res.Status, res.Published(), res.Body)
	}
}

// testDID is a DID with the given short form and, unless long is "", a long form made of it and long.
func testDID(short, long string) *DID {
	d := &DID{Method: "ion", ShortForm: short}
	if long != "" {
		d.LongForm = short + ":" + long
	}
	d.plain = jsonPlain(d.String())
	return d
}

func TestAppendResolutionResult(t *testing.T) {
	fixture, fixtureDID := resultFixture(t)
	key := func(id Value, purposes ...Value) Value {
		return Object(Member{"id", id}, Member{"type", String("EcdsaSecp256k1VerificationKey2019")},
			Member{"publicKeyJwk", Object(Member{"kty", String("EC")}, Member{"n", Number(1.5e300)})},
			Member{"purposes", Array(purposes...)})
	}
	docs := map[string]Value{
		"empty":    emptyObject(),
		"fixture":  fixture.Document,
		"no type":  Object(Member{"publicKeys", Array(Object(Member{"id", String("k")}, Member{"purposes", Array(String("authentication"))}))}),
		"escapes":  Object(Member{"publicKeys", Array(key(String("k\"\\\u2028\x01\xed\xa0\x80"), String("authentication")))}),
		"no id":    Object(Member{"publicKeys", Array(key(Number(7), String("authentication")), Object())}),
		"no array": Object(Member{"publicKeys", String("k")}, Member{"services", Object()}),
		"services": Object(Member{"services", Array(Object(Member{"id", String("s\"")}, Member{"serviceEndpoint", Null()}), Number(1))}),
		"no services": Object(Member{"publicKeys", Array(key(String("a"), String("x"), String("x"), Number(1)),
			key(String("b"), String("y"), String("x")))}),
		// A key object made with a member twice (only code can make one): the first is the one read.
		"repeated member": Object(Member{"publicKeys", Array(objectValue([]Member{{"id", String("a")}, {"purposes", Array(String("x"))},
			{"id", String("b")}, {"purposes", Array(String("y"))}, {"type", Null()}, {"type", String("t")}}))}),
		// Purposes the document already has as members, or array indices: only the tree places them.
		"purpose service": Object(Member{"publicKeys", Array(key(String("a"), String("authentication"), String("service")))}),
		"purpose id":      Object(Member{"publicKeys", Array(key(String("a"), String("id")))}),
		"purpose index":   Object(Member{"publicKeys", Array(key(String("a"), String("authentication"), String("12")))}),
		"seven purposes": Object(Member{"publicKeys", Array(key(String("a"), String("p1"), String("p2"), String("p3"), String("p4")),
			key(String("b"), String("p5"), String("p6"), String("p7"), String("p1")))}),
	}
	dids := map[string]*DID{
		"long-form":  fixtureDID,
		"short-form": testDID("did:ion:EiA", ""),
		"escaped":    testDID("did:ion:\"\xed\xb0\x80", "a\nb"),
	}
	for docName, doc := range docs {
		for didName, did := range dids {
			for _, published := range []bool{false, true} {
				for _, update := range []string{"", "EiU\""} {
					for _, recovery := range []string{"", "EiR"} { // "": deactivated
						state := &State{Document: doc, NextRecoveryCommitment: recovery, NextUpdateCommitment: update}
						t.Run(docName+"/"+didName, func(t *testing.T) {
							checkAppendResolutionResult(t, state, did, published)
						})
					}
				}
			}
		}
	}
	// Not found: a short-form DID without a published state.
	short := testDID("did:ion:EiA", "")
	if body, status, _ := AppendResolveDIDState(nil, short, nil); status != http.StatusNotFound ||
		!bytes.Equal(body, ResolveDIDState(short, nil).Body.Stringify()) {
		t.Errorf("not found: %d %s", status, body)
	}
}

// TestAppendResolutionResultAllocations: the writer composes nothing, so with room in dst a result
// allocates nothing.
func TestAppendResolutionResultAllocations(t *testing.T) {
	state, did := resultFixture(t)
	buf := make([]byte, 0, 64<<10)
	if n := testing.AllocsPerRun(20, func() { AppendResolutionResult(buf[:0], state, did, true) }); n != 0 {
		t.Errorf("%v allocations per written result, want 0", n)
	}
}

// FuzzAppendResolutionResult checks the writer against ResolutionResult's tree, serialized, on documents
// of any shape (doc is the state's document as JSON), any DID text and any commitments.
func FuzzAppendResolutionResult(f *testing.F) {
	f.Fuzz(func(t *testing.T, doc []byte, short, long, recovery, update string, published bool) {
		if len(doc) > 1<<16 {
			return
		}
		v, err := ParseJSON(doc)
		if err != nil {
			return
		}
		checkAppendResolutionResult(t, &State{Document: v, NextRecoveryCommitment: recovery, NextUpdateCommitment: update},
			testDID(short, long), published)
	})
}
