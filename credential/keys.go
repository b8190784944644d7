package credential

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/go-jose/go-jose/v4"

	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/signer"
)

// JWS algorithms the package signs and verifies with.
const (
	ES256K = "ES256K" // ECDSA secp256k1 SHA-256 (RFC 8812)
	EdDSA  = "EdDSA"  // Ed25519 (RFC 8037)
	ES256  = "ES256"  // ECDSA P-256 SHA-256
)

// Algorithms are the algorithms accepted by default.
var Algorithms = []string{ES256K, EdDSA, ES256}

// AlgorithmFor returns the JWS algorithm for a public or private key, or an error for other keys.
func AlgorithmFor(key any) (string, error) {
	switch k := key.(type) {
	case ed25519.PublicKey, ed25519.PrivateKey:
		return EdDSA, nil
	case *secp256k1.PublicKey, *secp256k1.PrivateKey:
		return ES256K, nil
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() {
			return ES256, nil
		}
	case *ecdsa.PrivateKey:
		if k.Curve == elliptic.P256() {
			return ES256, nil
		}
	}
	return "", fmt.Errorf("no supported JWS algorithm for key type %T", key)
}

// Signer is a key, held by any signer.Signer backend (a file, a PKCS#11 token), with the DID URL of its
// verification method.
type Signer struct {
	KID string // DID URL of the verification method, e.g. did:web:example.com#key-1
	Alg string
	key signer.Signer
}

// NewSigner makes a Signer from an ed25519.PrivateKey, a P-256 *ecdsa.PrivateKey or a
// *secp256k1.PrivateKey held in memory. kid must be an absolute DID URL with a fragment.
func NewSigner(kid string, key crypto.PrivateKey) (*Signer, error) {
	if _, err := AlgorithmFor(key); err != nil {
		return nil, err
	}
	local, err := signer.NewLocal(kid, "file", key)
	if err != nil {
		return nil, err
	}
	return NewKeySigner(kid, local)
}

// NewKeySigner makes a Signer whose key lives in a signer backend (a file, an HSM, a KMS).
func NewKeySigner(kid string, key signer.Signer) (*Signer, error) {
	alg, err := AlgorithmFor(key.Public())
	if err != nil {
		return nil, err
	}
	did, rest := resolver.SplitDIDURL(kid)
	if _, err := resolver.MethodName(did); err != nil || !strings.HasPrefix(rest, "#") || len(rest) < 2 {
		return nil, fmt.Errorf("kid %q is not a DID URL with a fragment", kid)
	}
	return &Signer{KID: kid, Alg: alg, key: key}, nil
}

// DID is the DID of the signer's key.
func (s *Signer) DID() string {
	did, _ := resolver.SplitDIDURL(s.KID)
	return did
}

// Public returns the public key.
func (s *Signer) Public() crypto.PublicKey { return s.key.Public() }

// Key returns the backend that holds the key.
func (s *Signer) Key() signer.Signer { return s.key }

// ParsePrivateJWK parses a private JWK (with "d") of the three supported kinds.
func ParsePrivateJWK(data []byte) (crypto.PrivateKey, error) {
	var k struct {
		Kty, Crv, X, Y, D string
	}
	if err := json.Unmarshal(data, &k); err != nil {
		return nil, fmt.Errorf("parse private JWK: %w", err)
	}
	d, err := base64.RawURLEncoding.DecodeString(k.D)
	if err != nil || len(d) != 32 {
		return nil, errors.New("parse private JWK: d must be 32 base64url bytes")
	}
	var priv crypto.PrivateKey
	switch {
	case k.Kty == "OKP" && k.Crv == "Ed25519":
		priv = ed25519.NewKeyFromSeed(d)
	case k.Kty == "EC" && k.Crv == "secp256k1":
		priv = secp256k1.PrivKeyFromBytes(d)
	case k.Kty == "EC" && k.Crv == "P-256":
		p, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d)
		if err != nil {
			return nil, fmt.Errorf("parse private JWK: %w", err)
		}
		priv = p
	default:
		return nil, fmt.Errorf("parse private JWK: unsupported kty %q crv %q", k.Kty, k.Crv)
	}
	// The public part, when given, must be the key's.
	if k.X != "" {
		pub, err := resolver.MarshalJWK(signer.PublicOf(priv))
		if err != nil {
			return nil, err
		}
		var want struct{ X, Y string }
		_ = json.Unmarshal(pub, &want)
		if want.X != k.X || want.Y != k.Y {
			return nil, errors.New("parse private JWK: x/y do not match d")
		}
	}
	return priv, nil
}

// MarshalPrivateJWK writes a private key as a JWK with d.
func MarshalPrivateJWK(key crypto.PrivateKey) ([]byte, error) {
	pub := signer.PublicOf(key)
	if pub == nil {
		return nil, fmt.Errorf("unsupported private key %T", key)
	}
	j, err := resolver.MarshalJWK(pub)
	if err != nil {
		return nil, err
	}
	var d []byte
	switch k := key.(type) {
	case ed25519.PrivateKey:
		d = k.Seed()
	case *secp256k1.PrivateKey:
		d = k.Serialize()
	case *ecdsa.PrivateKey:
		if d, err = k.Bytes(); err != nil {
			return nil, err
		}
	}
	return fmt.Appendf(j[:len(j)-1], `,"d":"%s"}`, base64.RawURLEncoding.EncodeToString(d)), nil
}

// GenerateKey makes a new private key for an algorithm.
func GenerateKey(alg string) (crypto.PrivateKey, error) {
	switch alg {
	case EdDSA:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		return k, err
	case ES256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case ES256K:
		return secp256k1.GeneratePrivateKey()
	}
	return nil, fmt.Errorf("unsupported algorithm %q", alg)
}

// joseSigner plugs a signer backend into go-jose through its OpaqueSigner extension point: go-jose builds
// the JWS, the backend signs its SHA-256 (or, for EdDSA, the signing input). go-jose has no ES256K of its
// own; the backend's secp256k1 signatures are R||S with low S, as RFC 8812 verifiers such as did-jwt need.
type joseSigner struct {
	ctx context.Context
	key signer.Signer
}

func (joseSigner) Public() *jose.JSONWebKey { return nil }
func (j joseSigner) Algs() []jose.SignatureAlgorithm {
	return []jose.SignatureAlgorithm{jose.SignatureAlgorithm(j.key.Algorithm())}
}

func (j joseSigner) SignPayload(payload []byte, alg jose.SignatureAlgorithm) ([]byte, error) {
	if string(alg) != string(j.key.Algorithm()) {
		return nil, jose.ErrUnsupportedAlgorithm
	}
	return signer.SignMessage(j.ctx, j.key, payload)
}

// es256kVerifier verifies ES256K through go-jose's OpaqueVerifier with decred's secp256k1 (the curve ION
// itself uses); it accepts high S, as did-jwt does.
type es256kVerifier struct{ key *secp256k1.PublicKey }

func (v es256kVerifier) VerifyPayload(payload, signature []byte, alg jose.SignatureAlgorithm) error {
	if alg != ES256K {
		return jose.ErrUnsupportedAlgorithm
	}
	if len(signature) != 64 {
		return errors.New("ES256K signature must be 64 bytes")
	}
	var r, s secp256k1.ModNScalar
	if overflow := r.SetByteSlice(signature[:32]); overflow || r.IsZero() {
		return errors.New("ES256K signature: invalid R")
	}
	if overflow := s.SetByteSlice(signature[32:]); overflow || s.IsZero() {
		return errors.New("ES256K signature: invalid S")
	}
	hash := sha256.Sum256(payload)
	if !secpecdsa.NewSignature(&r, &s).Verify(hash[:], v.key) {
		return errors.New("ES256K signature does not verify")
	}
	return nil
}

// equalKeys reports whether two public keys are the same key.
func equalKeys(a, b crypto.PublicKey) (bool, error) {
	ja, err := resolver.MarshalJWK(a)
	if err != nil {
		return false, err
	}
	jb, err := resolver.MarshalJWK(b)
	if err != nil {
		return false, err
	}
	return string(ja) == string(jb), nil
}

// PrivateKey returns the signer's private key (for key export and interop tools), or nil when the key
// lives in a token or a KMS.
func (s *Signer) PrivateKey() crypto.PrivateKey {
	if l, ok := s.key.(*signer.Local); ok {
		return l.PrivateKey()
	}
	return nil
}
