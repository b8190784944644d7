package resolver

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/mr-tron/base58"
)

// The public keys this package produces: ed25519.PublicKey, *ecdsa.PublicKey on P-256 and
// *secp256k1.PublicKey. Other key types (RSA, X25519, BLS) are refused: a verifier has no use for them.

// ErrUnsupportedKey is returned for key material of a type or curve this package does not handle.
var ErrUnsupportedKey = errors.New("unsupported key type")

// ErrKeyTooLong is returned for base58 key material longer than any supported key can be.
var ErrKeyTooLong = errors.New("base58 key material too long")

// maxBase58Key bounds base58 key text before it is decoded: base58 decoding costs time quadratic in its
// length (every digit multiplies the whole number decoded so far), and a DID document of 1 MiB from any
// did:web host could otherwise spend seconds of CPU per key. The largest key accepted, an uncompressed
// 65-byte point behind a 2-byte multicodec prefix, is 92 characters.
const maxBase58Key = 128

func decodeBase58Key(s string) ([]byte, error) {
	if len(s) > maxBase58Key {
		return nil, fmt.Errorf("%w: %d characters, at most %d", ErrKeyTooLong, len(s), maxBase58Key)
	}
	return base58.Decode(s)
}

// PublicKey returns the method's public key from publicKeyJwk, publicKeyMultibase or publicKeyBase58.
func (vm *VerificationMethod) PublicKey() (crypto.PublicKey, error) {
	switch {
	case len(vm.PublicKeyJwk) > 0:
		return ParseJWK(vm.PublicKeyJwk)
	case vm.PublicKeyMultibase != "":
		return vm.multibaseKey()
	case vm.PublicKeyBase58 != "":
		raw, err := decodeBase58Key(vm.PublicKeyBase58)
		if err != nil {
			return nil, fmt.Errorf("publicKeyBase58: %w", err)
		}
		return rawKeyForType(vm.Type, raw)
	}
	return nil, fmt.Errorf("%w: method %s has no key material", ErrUnsupportedKey, vm.ID)
}

func (vm *VerificationMethod) multibaseKey() (crypto.PublicKey, error) {
	// Ed25519VerificationKey2020 and Multikey carry a multicodec prefix; older suites put the raw key in
	// multibase.
	if pub, err := DecodeMultikey(vm.PublicKeyMultibase); err == nil {
		return pub, nil
	}
	if len(vm.PublicKeyMultibase) < 2 || vm.PublicKeyMultibase[0] != 'z' {
		return nil, fmt.Errorf("%w: publicKeyMultibase must be base58btc", ErrUnsupportedKey)
	}
	raw, err := decodeBase58Key(vm.PublicKeyMultibase[1:])
	if err != nil {
		return nil, fmt.Errorf("publicKeyMultibase: %w", err)
	}
	return rawKeyForType(vm.Type, raw)
}

func rawKeyForType(typ string, raw []byte) (crypto.PublicKey, error) {
	switch typ {
	case "Ed25519VerificationKey2018", "Ed25519VerificationKey2020":
		if len(raw) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 key of %d bytes", ErrUnsupportedKey, len(raw))
		}
		return ed25519.PublicKey(bytes.Clone(raw)), nil
	case "EcdsaSecp256k1VerificationKey2019", "EcdsaSecp256k1RecoveryMethod2020":
		pub, err := secp256k1.ParsePubKey(raw)
		if err != nil {
			return nil, fmt.Errorf("secp256k1 key: %w", err)
		}
		return pub, nil
	}
	return nil, fmt.Errorf("%w: %q with raw key bytes", ErrUnsupportedKey, typ)
}

// jwk is a public JSON Web Key of the kinds we handle.
type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y,omitempty"`
	D   string `json:"d,omitempty"`
}

// ParseJWK parses a public JWK: OKP/Ed25519, EC/P-256 or EC/secp256k1. A JWK carrying a private part is
// refused: it does not belong in a DID document.
func ParseJWK(data []byte) (crypto.PublicKey, error) {
	var k jwk
	if err := json.Unmarshal(data, &k); err != nil {
		return nil, fmt.Errorf("parse JWK: %w", err)
	}
	if k.D != "" {
		return nil, errors.New("parse JWK: private key material in a public JWK")
	}
	x, err := base64.RawURLEncoding.DecodeString(k.X)
	if err != nil {
		return nil, fmt.Errorf("parse JWK x: %w", err)
	}
	switch {
	case k.Kty == "OKP" && k.Crv == "Ed25519":
		if len(x) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("parse JWK: Ed25519 key of %d bytes", len(x))
		}
		return ed25519.PublicKey(x), nil
	case k.Kty == "EC" && (k.Crv == "P-256" || k.Crv == "secp256k1"):
		y, err := base64.RawURLEncoding.DecodeString(k.Y)
		if err != nil {
			return nil, fmt.Errorf("parse JWK y: %w", err)
		}
		if len(x) != 32 || len(y) != 32 {
			return nil, fmt.Errorf("parse JWK: %s coordinates must be 32 bytes", k.Crv)
		}
		point := append(append([]byte{4}, x...), y...)
		if k.Crv == "P-256" {
			pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
			if err != nil {
				return nil, fmt.Errorf("parse JWK: %w", err)
			}
			return pub, nil
		}
		pub, err := secp256k1.ParsePubKey(point)
		if err != nil {
			return nil, fmt.Errorf("parse JWK: %w", err)
		}
		return pub, nil
	}
	return nil, fmt.Errorf("%w: JWK kty %q crv %q", ErrUnsupportedKey, k.Kty, k.Crv)
}

// MarshalJWK writes a public key as a JWK with its members in lexicographic order (crv, kty, x, y), the
// form RFC 7638 thumbprints and did:jwk use.
func MarshalJWK(pub crypto.PublicKey) ([]byte, error) {
	b64 := base64.RawURLEncoding.EncodeToString
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return fmt.Appendf(nil, `{"crv":"Ed25519","kty":"OKP","x":"%s"}`, b64(k)), nil
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return nil, fmt.Errorf("%w: ECDSA curve %s", ErrUnsupportedKey, k.Curve.Params().Name)
		}
		point, err := k.Bytes()
		if err != nil {
			return nil, err
		}
		return fmt.Appendf(nil, `{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}`, b64(point[1:33]), b64(point[33:])), nil
	case *secp256k1.PublicKey:
		point := k.SerializeUncompressed()
		return fmt.Appendf(nil, `{"crv":"secp256k1","kty":"EC","x":"%s","y":"%s"}`, b64(point[1:33]), b64(point[33:])), nil
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
}

// Multicodec prefixes (unsigned varints) of the public key types did:key and Multikey use.
var (
	codecEd25519   = []byte{0xed, 0x01}
	codecSecp256k1 = []byte{0xe7, 0x01}
	codecP256      = []byte{0x80, 0x24}
)

// DecodeMultikey decodes a base58btc multibase ("z...") multicodec public key: Ed25519, secp256k1
// (compressed) or P-256 (compressed).
func DecodeMultikey(s string) (crypto.PublicKey, error) {
	if len(s) < 2 || s[0] != 'z' {
		return nil, errors.New("multikey: not base58btc multibase")
	}
	b, err := decodeBase58Key(s[1:])
	if err != nil {
		return nil, fmt.Errorf("multikey: %w", err)
	}
	switch {
	case bytes.HasPrefix(b, codecEd25519):
		raw := b[2:]
		if len(raw) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("multikey: Ed25519 key of %d bytes", len(raw))
		}
		return ed25519.PublicKey(raw), nil
	case bytes.HasPrefix(b, codecSecp256k1):
		pub, err := secp256k1.ParsePubKey(b[2:])
		if err != nil {
			return nil, fmt.Errorf("multikey: %w", err)
		}
		return pub, nil
	case bytes.HasPrefix(b, codecP256):
		raw := b[2:]
		if len(raw) != 33 {
			return nil, fmt.Errorf("multikey: P-256 key must be compressed (33 bytes), got %d", len(raw))
		}
		x, y := elliptic.UnmarshalCompressed(elliptic.P256(), raw)
		if x == nil {
			return nil, errors.New("multikey: invalid P-256 point")
		}
		return &ecdsa.PublicKey{Curve: elliptic.P256(), X: x, Y: y}, nil
	}
	return nil, fmt.Errorf("%w: multicodec prefix %x", ErrUnsupportedKey, b[:min(2, len(b))])
}

// EncodeMultikey encodes a public key as did:key and Multikey do.
func EncodeMultikey(pub crypto.PublicKey) (string, error) {
	var b []byte
	switch k := pub.(type) {
	case ed25519.PublicKey:
		b = append(bytes.Clone(codecEd25519), k...)
	case *secp256k1.PublicKey:
		b = append(bytes.Clone(codecSecp256k1), k.SerializeCompressed()...)
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return "", fmt.Errorf("%w: ECDSA curve %s", ErrUnsupportedKey, k.Curve.Params().Name)
		}
		point, err := k.Bytes()
		if err != nil {
			return "", err
		}
		// SEC 1 compressed form: 0x02 or 0x03 by the parity of y, then x.
		b = append(bytes.Clone(codecP256), 2+point[64]&1)
		b = append(b, point[1:33]...)
	default:
		return "", fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
	}
	return "z" + base58.Encode(b), nil
}
