package signer_test

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/ionode/ionode/signer"
)

// secp256k1SPKI is a secp256k1 key's SubjectPublicKeyInfo, built here with encoding/asn1 as a KMS writes it.
func secp256k1SPKI(t testing.TB, pub *secp256k1.PublicKey) []byte {
	t.Helper()
	curve, _ := asn1.Marshal(asn1.ObjectIdentifier{1, 3, 132, 0, 10})
	der, err := asn1.Marshal(struct {
		Algorithm struct {
			OID    asn1.ObjectIdentifier
			Params asn1.RawValue
		}
		Key asn1.BitString
	}{
		Algorithm: struct {
			OID    asn1.ObjectIdentifier
			Params asn1.RawValue
		}{asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}, asn1.RawValue{FullBytes: curve}},
		Key: asn1.BitString{Bytes: pub.SerializeUncompressed(), BitLength: 65 * 8},
	})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestParsePublicKey(t *testing.T) {
	for _, alg := range []signer.Algorithm{signer.ES256K, signer.ES256, signer.EdDSA} {
		t.Run(string(alg), func(t *testing.T) {
			s := newLocal(t, alg)
			var der []byte
			if alg == signer.ES256K {
				der = secp256k1SPKI(t, s.Public().(*secp256k1.PublicKey))
			} else {
				var err error
				if der, err = x509.MarshalPKIXPublicKey(s.Public()); err != nil {
					t.Fatal(err)
				}
			}
			for _, in := range [][]byte{der, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})} {
				pub, err := signer.ParsePublicKey(in)
				if err != nil {
					t.Fatal(err)
				}
				if got, _ := signer.AlgorithmOf(pub); got != alg {
					t.Fatalf("parsed %T (%s), want %s", pub, got, alg)
				}
				// The parsed key is the signer's: it verifies the signer's signature.
				msg := make([]byte, 32)
				sig, err := s.Sign(context.Background(), msg)
				if err != nil || !signer.Verify(pub, msg, sig) {
					t.Fatalf("the parsed key does not verify the signer's signature (%v)", err)
				}
			}
		})
	}
	bad := [][]byte{nil, {0x30, 0x00}, make([]byte, 2000),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}})}
	for _, b := range bad {
		if _, err := signer.ParsePublicKey(b); !errors.Is(err, signer.ErrUnsupported) {
			t.Fatalf("ParsePublicKey(%x): %v", b, err)
		}
	}
}

// FuzzParsePublicKey: a KMS's answer never panics the parser.
func FuzzParsePublicKey(f *testing.F) {
	k, _ := secp256k1.GeneratePrivateKey()
	f.Add(secp256k1SPKI(f, k.PubKey()))
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\nMA==\n-----END PUBLIC KEY-----\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pub, err := signer.ParsePublicKey(b)
		if err == nil {
			if _, err := signer.AlgorithmOf(pub); err != nil {
				t.Fatalf("parsed a key of no algorithm: %T", pub)
			}
		}
	})
}
