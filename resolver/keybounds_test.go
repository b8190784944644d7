package resolver_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/mr-tron/base58"

	"github.com/ionode/ionode/resolver"
)

// TestBase58KeyBounded: base58 text longer than any key is refused before it is decoded (decoding is
// quadratic in its length), in every place a document or DID carries it; the longest real key still
// decodes.
func TestBase58KeyBounded(t *testing.T) {
	long := "z" + strings.Repeat("2", 1<<20)
	cases := []struct {
		name string
		vm   resolver.VerificationMethod
	}{
		{"publicKeyBase58", resolver.VerificationMethod{ID: "#k", Type: "Ed25519VerificationKey2018", PublicKeyBase58: long[1:]}},
		{"publicKeyMultibase", resolver.VerificationMethod{ID: "#k", Type: "Multikey", PublicKeyMultibase: long}},
		{"publicKeyMultibase, raw suite", resolver.VerificationMethod{ID: "#k", Type: "Ed25519VerificationKey2020", PublicKeyMultibase: long[:130]}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.vm.PublicKey(); !errors.Is(err, resolver.ErrKeyTooLong) {
				t.Fatalf("got %v, want ErrKeyTooLong", err)
			}
		})
	}
	if _, err := resolver.DecodeMultikey(long); !errors.Is(err, resolver.ErrKeyTooLong) {
		t.Fatalf("DecodeMultikey: got %v, want ErrKeyTooLong", err)
	}

	// The longest key accepted: an uncompressed secp256k1 point, raw in publicKeyBase58.
	k, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	vm := resolver.VerificationMethod{ID: "#k", Type: "EcdsaSecp256k1VerificationKey2019", PublicKeyBase58: base58.Encode(k.PubKey().SerializeUncompressed())}
	if got, err := vm.PublicKey(); err != nil || !got.(*secp256k1.PublicKey).IsEqual(k.PubKey()) {
		t.Fatalf("uncompressed secp256k1 in base58: %v", err)
	}
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	mk, err := resolver.EncodeMultikey(pub)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := resolver.DecodeMultikey(mk); err != nil || !pub.Equal(got) {
		t.Fatalf("Ed25519 multikey: %v", err)
	}
}
