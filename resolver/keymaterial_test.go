package resolver_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/ionode/ionode/resolver"
)

func testKeys(t *testing.T) map[string]any {
	t.Helper()
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k1, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{"Ed25519": edPub, "P-256": &p256.PublicKey, "secp256k1": k1.PubKey()}
}

type equaler interface{ Equal(crypto.PublicKey) bool }

func sameKey(a, b any) bool {
	if k, ok := a.(*secp256k1.PublicKey); ok {
		o, ok := b.(*secp256k1.PublicKey)
		return ok && k.IsEqual(o)
	}
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}

func TestKeyRoundTrips(t *testing.T) {
	for name, pub := range testKeys(t) {
		t.Run(name, func(t *testing.T) {
			j, err := resolver.MarshalJWK(pub)
			if err != nil {
				t.Fatal(err)
			}
			back, err := resolver.ParseJWK(j)
			if err != nil || !sameKey(pub, back) {
				t.Fatalf("JWK round trip: %s → %v, %v", j, back, err)
			}
			mk, err := resolver.EncodeMultikey(pub)
			if err != nil {
				t.Fatal(err)
			}
			back, err = resolver.DecodeMultikey(mk)
			if err != nil || !sameKey(pub, back) {
				t.Fatalf("multikey round trip: %s → %v, %v", mk, back, err)
			}
		})
	}
}

func TestMultikeyPrefixes(t *testing.T) {
	// Prefixes fixed by the multicodec table: z6Mk Ed25519, zQ3s secp256k1, zDn P-256.
	want := map[string]string{"Ed25519": "z6Mk", "secp256k1": "zQ3s", "P-256": "zDn"}
	for name, pub := range testKeys(t) {
		mk, err := resolver.EncodeMultikey(pub)
		if err != nil {
			t.Fatal(err)
		}
		if mk[:len(want[name])] != want[name] {
			t.Errorf("%s multikey %s does not start with %s", name, mk, want[name])
		}
	}
}

func TestParseJWKRejects(t *testing.T) {
	for _, j := range []string{
		`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"x"}`,
		`{"kty":"OKP","crv":"Ed25519","x":"AAAA"}`,
		`{"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`,
		`{"kty":"EC","crv":"P-384","x":"","y":""}`,
		`{"kty":"RSA","n":"x","e":"AQAB"}`,
		`[]`,
	} {
		if _, err := resolver.ParseJWK([]byte(j)); err == nil {
			t.Errorf("ParseJWK(%s) succeeded", j)
		}
	}
}
