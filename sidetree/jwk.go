package sidetree

import (
	"crypto/ed25519"
	"fmt"
	"io"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// JWK is a JSON Web Key for the two curves ION clients use: secp256k1 (kty "EC") and Ed25519 (kty "OKP").
// D is set only for private keys.
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y,omitempty"`
	D   string `json:"d,omitempty"`
}

// Public returns the key without its private part.
func (k JWK) Public() JWK {
	k.D = ""
	return k
}

// Value returns the key as a JSON object with ion-sdk's property order (kty, crv, x, y, d).
func (k JWK) Value() Value {
	o := Object(Member{"kty", String(k.Kty)}, Member{"crv", String(k.Crv)}, Member{"x", String(k.X)})
	if k.Y != "" {
		o.Set("y", String(k.Y))
	}
	if k.D != "" {
		o.Set("d", String(k.D))
	}
	return o
}

// GenerateES256K makes a secp256k1 key pair from the random source rand (crypto/rand.Reader in production).
func GenerateES256K(rand io.Reader) (JWK, error) {
	var seed [32]byte
	for {
		if _, err := io.ReadFull(rand, seed[:]); err != nil {
			return JWK{}, fmt.Errorf("read randomness: %w", err)
		}
		var s secp256k1.ModNScalar
		if overflow := s.SetBytes(&seed); overflow == 0 && !s.IsZero() {
			return ES256KFromPrivate(seed[:])
		}
	}
}

// ES256KFromPrivate returns the JWK of a 32-byte secp256k1 private key.
func ES256KFromPrivate(d []byte) (JWK, error) {
	if len(d) != 32 {
		return JWK{}, fmt.Errorf("secp256k1 private key must be 32 bytes, got %d", len(d))
	}
	priv := secp256k1.PrivKeyFromBytes(d)
	if priv.Key.IsZero() {
		return JWK{}, fmt.Errorf("secp256k1 private key is zero or not below the group order")
	}
	pub := priv.PubKey().SerializeUncompressed() // 0x04 || X || Y
	return JWK{Kty: "EC", Crv: "secp256k1", X: EncodeBase64URL(pub[1:33]), Y: EncodeBase64URL(pub[33:65]), D: EncodeBase64URL(d)}, nil
}

// GenerateEd25519 makes an Ed25519 key pair (for DID document keys; ION's operation keys are secp256k1).
func GenerateEd25519(rand io.Reader) (JWK, error) {
	pub, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return JWK{}, fmt.Errorf("generate Ed25519 key: %w", err)
	}
	return JWK{Kty: "OKP", Crv: "Ed25519", X: EncodeBase64URL(pub), D: EncodeBase64URL(priv.Seed())}, nil
}

// ValidateES256KValue checks a secp256k1 public key JWK as ION's Jwk.validateJwkEs256k does: only kty, crv,
// x and y, each x and y 43 characters long.
func ValidateES256KValue(v Value) error {
	if v.Kind() == kindUndefined {
		return codeError(CodeJwkEs256kUndefined)
	}
	// for-in visits an object's properties and an array's or a string's indices; none is allowed.
	if _, found := forInKeyNotIn(v, "kty", "crv", "x", "y"); found {
		return codeError(CodeJwkEs256kHasUnknownProperty)
	}
	kty, err := propertyOf(v, "kty") // null throws
	if err != nil {
		return err
	}
	if s, ok := kty.Str(); !ok || s != "EC" {
		return codeError(CodeJwkEs256kMissingOrInvalidKty)
	}
	if s, ok := field(v, "crv").Str(); !ok || s != "secp256k1" {
		return codeError(CodeJwkEs256kMissingOrInvalidCrv)
	}
	x, ok := field(v, "x").Str()
	if !ok {
		return codeError(CodeJwkEs256kMissingOrInvalidTypeX)
	}
	y, ok := field(v, "y").Str()
	if !ok {
		return codeError(CodeJwkEs256kMissingOrInvalidTypeY)
	}
	if utf16Len(x) != 43 {
		return jsError(CodeJwkEs256kHasIncorrectLengthOfX, "SECP256K1 JWK 'x' property must be 43 bytes.")
	}
	if utf16Len(y) != 43 {
		return jsError(CodeJwkEs256kHasIncorrectLengthOfY, "SECP256K1 JWK 'y' property must be 43 bytes.")
	}
	return nil
}

// field returns a property or an undefined-like zero Value (Kind null is never returned for a missing one).
func field(v Value, key string) Value {
	f, ok := v.Get(key)
	if !ok {
		return Value{kind: kindUndefined}
	}
	return f
}

// kindUndefined marks a missing property; it never appears in parsed or serialized JSON.
const kindUndefined Kind = 255

// es256kPublicKey turns a validated secp256k1 JWK into a curve point. Like Node's key import, x and y
// are decoded leniently and the point must lie on the curve.
func es256kPublicKey(v Value) (*secp256k1.PublicKey, error) {
	xs, _ := field(v, "x").Str()
	ys, _ := field(v, "y").Str()
	x, errX := DecodeBase64URL(xs)
	y, errY := DecodeBase64URL(ys)
	if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
		return nil, newError(CodeJwsUnsupportedKey, "secp256k1 JWK coordinates are not 32-byte base64url values")
	}
	var fx, fy secp256k1.FieldVal
	if fx.SetByteSlice(x) || fy.SetByteSlice(y) {
		return nil, newError(CodeJwsUnsupportedKey, "secp256k1 JWK coordinate is not below the field prime")
	}
	pub := secp256k1.NewPublicKey(&fx, &fy)
	if !pub.IsOnCurve() {
		return nil, newError(CodeJwsUnsupportedKey, "secp256k1 JWK point is not on the curve")
	}
	return pub, nil
}
