package resolver_test

import (
	"errors"
	"testing"

	"github.com/ionode/ionode/resolver"
)

const ionStyleDoc = `{
  "id": "did:ion:EiA",
  "@context": ["https://www.w3.org/ns/did/v1", {"@base": "did:ion:EiA"}],
  "verificationMethod": [
    {"id": "#sign", "controller": "did:ion:EiA", "type": "EcdsaSecp256k1VerificationKey2019",
     "publicKeyJwk": {"kty": "EC", "crv": "secp256k1", "x": "827O9mXy6PXF__uUwyHgAfHj3s189x3qyMR1faCNGqk", "y": "nUzLznPmSyr0fnWAb8pkI11kpHPk2BW1kjqZgLk0BHY"}},
    {"id": "#auth", "controller": "did:ion:EiA", "type": "JsonWebKey2020",
     "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}
  ],
  "assertionMethod": ["#sign"],
  "authentication": ["#auth", {"id": "did:ion:EiA#embedded", "type": "Ed25519VerificationKey2018",
     "controller": "did:ion:EiA", "publicKeyBase58": "B12NYF8RrR3h41TDCTJojY59usg3mbtbjnFs7Eud1Y6u"}]
}`

func TestFindMethod(t *testing.T) {
	doc, err := resolver.ParseDocument([]byte(ionStyleDoc))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url, rel, wantID string
		wantErr          error
	}{
		{"did:ion:EiA#sign", resolver.AssertionMethod, "#sign", nil},
		{"#sign", resolver.AssertionMethod, "#sign", nil},
		{"did:ion:EiA#sign", resolver.Authentication, "", resolver.ErrNotAuthorized},
		{"did:ion:EiA#auth", resolver.Authentication, "#auth", nil},
		{"did:ion:EiA#auth", resolver.AssertionMethod, "", resolver.ErrNotAuthorized},
		{"did:ion:EiA#embedded", resolver.Authentication, "did:ion:EiA#embedded", nil},
		{"did:ion:EiA#embedded", "", "", resolver.ErrMethodNotFound}, // embedded methods exist only in their relationship
		{"did:ion:EiA#nope", resolver.AssertionMethod, "", resolver.ErrMethodNotFound},
		{"did:ion:Other#sign", resolver.AssertionMethod, "", resolver.ErrMethodNotFound},
		{"did:ion:EiA#auth", "", "#auth", nil},
	}
	for _, tt := range tests {
		vm, err := doc.FindMethod(tt.url, tt.rel)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("FindMethod(%q, %q) = %v, want %v", tt.url, tt.rel, err, tt.wantErr)
			}
			continue
		}
		if err != nil || vm.ID != tt.wantID {
			t.Errorf("FindMethod(%q, %q) = %v, %v", tt.url, tt.rel, vm, err)
			continue
		}
		if _, err := vm.PublicKey(); err != nil {
			t.Errorf("PublicKey of %s: %v", vm.ID, err)
		}
	}
}

func TestMethodName(t *testing.T) {
	tests := []struct {
		did, want string
	}{
		{"did:ion:EiA", "ion"},
		{"did:ion:test:EiA", "ion"},
		{"did:web:example.com", "web"},
		{"did:Web:example.com", ""},
		{"did:web", ""},
		{"did::x", ""},
		{"web:example.com", ""},
	}
	for _, tt := range tests {
		got, err := resolver.MethodName(tt.did)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("MethodName(%q) = %q, %v", tt.did, got, err)
		}
		if err != nil && !errors.Is(err, resolver.ErrInvalidDID) {
			t.Errorf("MethodName(%q): %v is not invalidDid", tt.did, err)
		}
	}
}

func TestMethods(t *testing.T) {
	doc, err := resolver.ParseDocument([]byte(ionStyleDoc))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rel     string
		wantIDs []string
		wantErr bool
	}{
		{resolver.AssertionMethod, []string{"#sign"}, false},
		{resolver.Authentication, []string{"#auth", "did:ion:EiA#embedded"}, false},
		{resolver.KeyAgreement, nil, false},
		{"nonsense", nil, true},
	}
	for _, tt := range tests {
		vms, err := doc.Methods(tt.rel)
		if (err != nil) != tt.wantErr {
			t.Errorf("Methods(%q) error %v", tt.rel, err)
			continue
		}
		var got []string
		for _, vm := range vms {
			got = append(got, vm.ID)
		}
		if len(got) != len(tt.wantIDs) {
			t.Errorf("Methods(%q) = %v, want %v", tt.rel, got, tt.wantIDs)
			continue
		}
		for i := range got {
			if got[i] != tt.wantIDs[i] {
				t.Errorf("Methods(%q) = %v, want %v", tt.rel, got, tt.wantIDs)
			}
		}
	}
}
