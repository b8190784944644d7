package sidetree

import (
	"bytes"
	"testing"
)

// resultFixture is a published long-form DID with two keys sharing a purpose, a key without purposes and
// two services.
func resultFixture(t *testing.T) (*State, *DID) {
	t.Helper()
	r := newSeeded("result")
	doc := docWithKey(t, r, "key-1")
	doc.PublicKeys = append(doc.PublicKeys, docWithKey(t, r, "key-2").PublicKeys...)
	doc.PublicKeys[1].Purposes = []string{PurposeKeyAgreement, PurposeAuthentication}
	doc.PublicKeys = append(doc.PublicKeys, PublicKey{ID: "key-3", Type: "JsonWebKey2020", JWK: doc.PublicKeys[0].JWK})
	doc.Services = []Service{{ID: "dwn", Type: "DecentralizedWebNode", Endpoint: String("https://dwn.example.com")},
		{ID: "hub", Type: "Hub", Endpoint: Object(Member{"nodes", Array(String("https://a.example"))})}}
	create, err := NewCreateRequest("ion", mustKey(t, r), mustKey(t, r), doc, Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	did, err := ParseDID(create.LongForm, "ion", Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	state := ApplyParsed(did.Create, 1, nil)
	if state == nil {
		t.Fatal("create did not apply")
	}
	return state, did
}

// TestResolutionResultAllocations guards the up-front count: a miscount falls back to allocating per
// object, which this sees.
func TestResolutionResultAllocations(t *testing.T) {
	state, did := resultFixture(t)
	if n := testing.AllocsPerRun(20, func() { ResolutionResult(state, did, true) }); n > 3 {
		t.Errorf("%v allocations per result, want 3 (members, values, references)", n)
	}
}

// TestResolutionResultPartsAreSeparate grows copies of carved objects and arrays and checks that the
// result did not change: each part's capacity ends where it does, so growing one copies it.
func TestResolutionResultPartsAreSeparate(t *testing.T) {
	state, did := resultFixture(t)
	res := ResolutionResult(state, did, true)
	before := res.Stringify()
	document := res.Field("didDocument")
	for _, vm := range document.Field("verificationMethod").Elems() {
		vm.Set("extra", String("x"))
	}
	for _, svc := range document.Field("service").Elems() {
		svc.Set("extra", String("x"))
	}
	for _, name := range []string{"authentication", "keyAgreement", "service", "verificationMethod"} {
		list := document.Field(name)
		list.appendElems(String("#extra"))
	}
	metadata := res.Field("didDocumentMetadata")
	metadata.Set("extra", String("x"))
	document.Set("extra", String("x"))
	if after := res.Stringify(); !bytes.Equal(before, after) {
		at := 0
		for at < min(len(before), len(after)) && before[at] == after[at] {
			at++
		}
		t.Fatalf("growing one part changed the result at byte %d: %q", at, after[max(0, at-40):min(len(after), at+40)])
	}
}

// TestResolutionResultEscapesDID resolves states under DIDs that need escaping, which the result must not
// take for plain text, and under the fixture's own, which it writes as it is.
func TestResolutionResultEscapesDID(t *testing.T) {
	state, long := resultFixture(t)
	if !long.plain {
		t.Error("a parsed long-form did:ion is not marked plain")
	}
	odd, err := ParseDID(`did:i"on:`+long.LongForm[len("did:ion:"):], `i"on`, Mainnet().Latest())
	if err != nil || odd.plain {
		t.Fatalf("a method that needs escaping: %v, marked plain %v", err, odd != nil && odd.plain)
	}
	for _, did := range []*DID{
		long,
		odd,
		{Method: "ion", Suffix: `a"b`, ShortForm: `did:ion:a"b\c` + "\n\xed\xa0\x80"},
		{Method: "ion", Suffix: "x", ShortForm: `did:ion:"x`, LongForm: `did:ion:"x:` + long.LongForm},
	} {
		out := ResolutionResult(state, did, true).Stringify()
		v, err := ParseJSON(out)
		if err != nil {
			t.Fatalf("%q: the result is not JSON: %v", did.String(), err)
		}
		checkPlainStrings(t, ResolutionResult(state, did, true))
		document := v.Field("didDocument")
		ids := []Value{document.Field("id"), document.Field("@context").Elems()[1].Field("@base")}
		for _, vm := range document.Field("verificationMethod").Elems() {
			ids = append(ids, vm.Field("controller"))
		}
		for _, id := range ids {
			// JSON.parse reads a lone surrogate's escape back as its WTF-8 form.
			if s, _ := id.Str(); s != did.String() {
				t.Errorf("%q written as %q", did.String(), s)
			}
		}
	}
}
