package signer

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// Algorithm is a JWS algorithm name; it also says which curve and digest a key signs with.
type Algorithm string

// The algorithms a Signer can have.
const (
	ES256K Algorithm = "ES256K" // ECDSA on secp256k1 over a 32-byte digest (Bitcoin, ION, RFC 8812)
	ES256  Algorithm = "ES256"  // ECDSA on P-256 over a SHA-256 digest
	EdDSA  Algorithm = "EdDSA"  // Ed25519 over the message itself (it cannot sign a digest)
)

// Signer signs with a key it never reveals.
type Signer interface {
	// Name identifies the key without revealing it: a file path, a pkcs11: URI, a KMS key id.
	Name() string
	// Backend names the custody kind ("file", "env", "pkcs11", ...); metrics are labelled by it.
	Backend() string
	Algorithm() Algorithm
	// Public is *secp256k1.PublicKey (ES256K), *ecdsa.PublicKey (ES256) or ed25519.PublicKey (EdDSA).
	Public() crypto.PublicKey
	// Sign signs data: a 32-byte digest for ES256K and ES256, the message for EdDSA. ECDSA signatures are
	// 64-byte R||S, with low S for ES256K.
	Sign(ctx context.Context, data []byte) ([]byte, error)
}

// Errors a backend wraps so that callers and wrappers can tell them apart.
var (
	// ErrTransient marks a failure worth retrying: a throttle, a timeout, a session the token dropped.
	ErrTransient = errors.New("signer: transient failure")
	// ErrBadSignature is returned when a backend's signature does not verify under its own public key.
	ErrBadSignature = errors.New("signer: signature does not verify with the key's public key")
	// ErrUnsupported is returned for a key type or curve the signer cannot use.
	ErrUnsupported = errors.New("signer: unsupported key")
	// ErrInput is returned for data of the wrong size for the algorithm.
	ErrInput = errors.New("signer: invalid input")
)

// AlgorithmOf returns the algorithm of a public key.
func AlgorithmOf(pub crypto.PublicKey) (Algorithm, error) {
	switch k := pub.(type) {
	case *secp256k1.PublicKey:
		return ES256K, nil
	case ed25519.PublicKey:
		return EdDSA, nil
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() {
			return ES256, nil
		}
	}
	return "", fmt.Errorf("%w: public key %T", ErrUnsupported, pub)
}

// SignMessage signs a message: SHA-256 first for the ECDSA algorithms, as JWS requires.
func SignMessage(ctx context.Context, s Signer, msg []byte) ([]byte, error) {
	if s.Algorithm() == EdDSA {
		return s.Sign(ctx, msg)
	}
	h := sha256.Sum256(msg)
	return s.Sign(ctx, h[:])
}

// checkInput rejects data a signer of alg cannot sign.
func checkInput(alg Algorithm, data []byte) error {
	if alg != EdDSA && len(data) != 32 {
		return fmt.Errorf("%w: %s signs a 32-byte digest, got %d bytes", ErrInput, alg, len(data))
	}
	return nil
}
