package signer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// maxPublicKeyDER bounds the public keys parsed: an EC SubjectPublicKeyInfo is under 100 bytes, and the
// bytes come from a KMS over the network.
const maxPublicKeyDER = 1024

var (
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSecp256k1   = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
)

// ParsePublicKey parses a DER SubjectPublicKeyInfo (what AWS KMS returns; PEM too, as Google Cloud KMS
// returns it) into a key Public reports: secp256k1, P-256 or Ed25519. crypto/x509 knows no secp256k1, so
// that one curve is read here; the others go through crypto/x509.
func ParsePublicKey(b []byte) (crypto.PublicKey, error) {
	if len(b) > maxPublicKeyDER {
		return nil, fmt.Errorf("%w: public key of %d bytes", ErrUnsupported, len(b))
	}
	if blk, _ := pem.Decode(b); blk != nil {
		if blk.Type != "PUBLIC KEY" {
			return nil, fmt.Errorf("%w: PEM block %q", ErrUnsupported, blk.Type)
		}
		b = blk.Bytes
	}
	var spki struct {
		Algorithm struct {
			OID    asn1.ObjectIdentifier
			Params asn1.RawValue `asn1:"optional"`
		}
		Key asn1.BitString
	}
	rest, err := asn1.Unmarshal(b, &spki)
	if err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%w: malformed SubjectPublicKeyInfo", ErrUnsupported)
	}
	if spki.Algorithm.OID.Equal(oidECPublicKey) {
		var curve asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(spki.Algorithm.Params.FullBytes, &curve); err == nil && curve.Equal(oidSecp256k1) {
			pub, err := secp256k1.ParsePubKey(spki.Key.RightAlign())
			if err != nil {
				return nil, fmt.Errorf("%w: secp256k1 point: %w", ErrUnsupported, err)
			}
			return pub, nil
		}
	}
	pub, err := x509.ParsePKIXPublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	switch k := pub.(type) {
	case *ecdsa.PublicKey, ed25519.PublicKey:
		if _, err := AlgorithmOf(k); err != nil {
			return nil, err
		}
		return k, nil
	}
	return nil, fmt.Errorf("%w: public key %T", ErrUnsupported, pub)
}

// FromASN1 converts an ASN.1 DER ECDSA signature (what AWS and Google Cloud KMS return) to 64-byte R||S.
func FromASN1(der []byte) ([]byte, error) { return rawFromASN1(der) }
