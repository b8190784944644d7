package sidetree

import (
	"bytes"
	"strings"
	"testing"
)

// TestLongFormCreateIsTheRequestParse checks that the create operation ParseDID takes from a long-form
// DID's canonical slices is the one parsing the reference's rebuilt request gives, including the request
// body when an object has array-index keys (JavaScript lists them first; JCS sorts them as strings).
func TestLongFormCreateIsTheRequestParse(t *testing.T) {
	commitment := HashThenEncode([]byte("recovery"))
	for _, tc := range []struct{ name, delta string }{
		{"keys and a service", `{"patches":[{"action":"replace","document":{"publicKeys":[{"id":"key-1","type":"JsonWebKey2020",` +
			`"publicKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"jW38Lw4KbGW_DRv8DwEvAVZPWp-XjsGGtoJYnbof268"},"purposes":["authentication"]}],` +
			`"services":[{"id":"dwn","type":"DWN","serviceEndpoint":"https://dwn.example.com"}]}}],"updateCommitment":"` + commitment + `"}`},
		{"array-index keys", `{"patches":[{"action":"replace","document":{"services":[{"id":"s","type":"T",` +
			`"serviceEndpoint":{"9":"nine","10":"ten","!":"bang","a":1.5e-7}}]}}],"updateCommitment":"` + commitment + `"}`},
		{"invalid delta hash", `{"patches":[],"updateCommitment":"` + commitment + `"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			delta, err := ParseJSON([]byte(tc.delta))
			if err != nil {
				t.Fatal(err)
			}
			canonicalDelta, _ := delta.Canonicalize()
			deltaHash := HashThenEncode(canonicalDelta)
			if tc.name == "invalid delta hash" {
				deltaHash = commitment
			}
			suffixData := Object(Member{"deltaHash", String(deltaHash)}, Member{"recoveryCommitment", String(commitment)})
			long, err := LongFormDID("ion", suffixData, delta)
			if err != nil {
				t.Fatal(err)
			}
			did, err := ParseDID(long, "ion", Mainnet().Latest())
			if err != nil {
				t.Fatal(err)
			}
			// The reference parses the decoded state and stringifies {type, suffixData, delta} of that.
			initial, err := DecodeBase64URL(long[strings.LastIndex(long, ":")+1:])
			if err != nil {
				t.Fatal(err)
			}
			state, err := ParseJSON(initial)
			if err != nil {
				t.Fatal(err)
			}
			request := Object(Member{"type", String("create")}, Member{"suffixData", state.Field("suffixData")}, Member{"delta", state.Field("delta")}).Stringify()
			want, err := ParseOperation(request)
			if err != nil {
				t.Fatal(err)
			}
			got := did.Create
			if !bytes.Equal(got.Raw, want.Raw) || got.DIDSuffix != want.DIDSuffix || got.HasDelta != want.HasDelta ||
				!got.SuffixData.Equal(want.SuffixData) || !got.Delta.Equal(want.Delta) {
				t.Fatalf("long-form create\n%s %s\nparsed request\n%s %s", got.Raw, got.DIDSuffix, want.Raw, want.DIDSuffix)
			}
			// Applied, the canonical slice gives the same state as canonicalizing the delta again.
			gotState, wantState := ApplyParsed(got, 0, nil), ApplyParsed(want, 0, nil)
			if gotState == nil || wantState == nil {
				t.Fatalf("applied: %v, from the request: %v", gotState, wantState)
			}
			if tc.name == "invalid delta hash" && gotState.NextUpdateCommitment != "" {
				t.Fatal("a delta that does not match its hash was applied")
			}
			if gotState.NextUpdateCommitment != wantState.NextUpdateCommitment || !gotState.Document.Equal(wantState.Document) {
				t.Fatalf("state %v, from the request %v", gotState, wantState)
			}
		})
	}
}
