package key_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/key"
)

func TestResolve(t *testing.T) {
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	k1, _ := secp256k1.GeneratePrivateKey()
	for _, pub := range []any{edPub, &p256.PublicKey, k1.PubKey()} {
		for _, m := range []struct {
			name   string
			did    func(any) (string, error)
			method resolver.Method
		}{
			{"key", func(p any) (string, error) { return key.DIDKey(p) }, key.Key{}},
			{"jwk", func(p any) (string, error) { return key.DIDJWK(p) }, key.JWK{}},
		} {
			did, err := m.did(pub)
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.method.Resolve(context.Background(), did)
			if err != nil {
				t.Fatalf("%s: %v", did, err)
			}
			if res.Document.ID != did || len(res.Document.VerificationMethod) != 1 {
				t.Fatalf("%s: document %s", did, res.Document.Raw)
			}
			vm, err := res.Document.FindMethod(res.Document.VerificationMethod[0].ID, resolver.AssertionMethod)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := res.Document.FindMethod(vm.ID, resolver.Authentication); err != nil {
				t.Fatal(err)
			}
			got, err := vm.PublicKey()
			if err != nil {
				t.Fatal(err)
			}
			again, _ := m.did(got)
			if again != did {
				t.Fatalf("key of %s gives %s", did, again)
			}
		}
	}
}

func TestResolveInvalid(t *testing.T) {
	for _, tt := range []struct {
		m   resolver.Method
		did string
	}{
		{key.Key{}, "did:key:z6Mk"},
		{key.Key{}, "did:key:abc"},
		{key.Key{}, "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBmf"}, // not on the curve
		{key.Key{}, "did:web:example.com"},
		{key.JWK{}, "did:jwk:e30"},
		{key.JWK{}, "did:jwk:!!"},
		{key.JWK{}, "did:jwk:eyJrdHkiOiJSU0EifQ"},
	} {
		if _, err := tt.m.Resolve(context.Background(), tt.did); !errors.Is(err, resolver.ErrInvalidDID) {
			t.Errorf("%s: %v, want invalidDid", tt.did, err)
		}
	}
}
