package signer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/asn1"
	"fmt"
	"math/big"

	"github.com/btcsuite/btcd/btcec/v2"
	btcecdsa "github.com/btcsuite/btcd/btcec/v2/ecdsa"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// LowS parses a 64-byte secp256k1 R||S and returns it with S in the lower half of the order, as Bitcoin
// and ES256K verifiers require. Tokens and KMSs return either half; both verify, only low S is standard.
func LowS(sig []byte) ([]byte, error) {
	r, s, err := scalars(sig)
	if err != nil {
		return nil, err
	}
	if s.IsOverHalfOrder() {
		s.Negate()
	}
	out := make([]byte, 64)
	r.PutBytesUnchecked(out[:32])
	s.PutBytesUnchecked(out[32:])
	return out, nil
}

func scalars(sig []byte) (r, s secp256k1.ModNScalar, err error) {
	if len(sig) != 64 {
		return r, s, fmt.Errorf("%w: secp256k1 signature of %d bytes, want 64", ErrBadSignature, len(sig))
	}
	if overflow := r.SetByteSlice(sig[:32]); overflow || r.IsZero() {
		return r, s, fmt.Errorf("%w: R out of range", ErrBadSignature)
	}
	if overflow := s.SetByteSlice(sig[32:]); overflow || s.IsZero() {
		return r, s, fmt.Errorf("%w: S out of range", ErrBadSignature)
	}
	return r, s, nil
}

// DER encodes a secp256k1 R||S signature as Bitcoin's strict DER (BIP 66), with low S.
func DER(sig []byte) ([]byte, error) {
	r, s, err := scalars(sig)
	if err != nil {
		return nil, err
	}
	// btcec serializes with low S whatever S it is given.
	return btcecdsa.NewSignature(&r, &s).Serialize(), nil
}

// Verify reports whether sig is alg's signature of data (a digest for ECDSA, the message for EdDSA) by pub.
func Verify(pub crypto.PublicKey, data, sig []byte) bool {
	switch k := pub.(type) {
	case *btcec.PublicKey:
		r, s, err := scalars(sig)
		return err == nil && len(data) == 32 && secpecdsa.NewSignature(&r, &s).Verify(data, k)
	case *ecdsa.PublicKey:
		if len(sig) != 64 || len(data) != 32 {
			return false
		}
		return ecdsa.Verify(k, data, new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	case ed25519.PublicKey:
		return len(k) == ed25519.PublicKeySize && ed25519.Verify(k, data, sig)
	}
	return false
}

// rawFromASN1 converts an ASN.1 ECDSA signature (what crypto/ecdsa writes) to 64-byte R||S.
func rawFromASN1(der []byte) ([]byte, error) {
	var v struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &v)
	if err != nil || len(rest) != 0 || v.R.Sign() <= 0 || v.S.Sign() <= 0 || v.R.BitLen() > 256 || v.S.BitLen() > 256 {
		return nil, fmt.Errorf("%w: malformed ASN.1 ECDSA signature", ErrBadSignature)
	}
	out := make([]byte, 64)
	v.R.FillBytes(out[:32])
	v.S.FillBytes(out[32:])
	return out, nil
}
