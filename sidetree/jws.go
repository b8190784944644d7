package sidetree

import (
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// JWS is a compact JWS as ION's signed data carries it. The protocol is stricter than JOSE: the protected
// header must be exactly {"alg":"ES256K"}, so this is ours rather than a general JOSE library's.
type JWS struct {
	Protected string // base64url header, as received
	Payload   string // base64url payload, as received
	Signature string // base64url signature, as received
}

// ParseCompactJWS checks a compact JWS as the reference's Jws constructor does.
func ParseCompactJWS(v Value) (JWS, error) {
	s, ok := v.Str()
	if !ok {
		return JWS{}, codeError(CodeJwsCompactJwsNotString)
	}
	protected, rest, _ := strings.Cut(s, ".")
	payload, signature, ok := strings.Cut(rest, ".")
	if !ok || strings.IndexByte(signature, '.') >= 0 {
		return JWS{}, codeError(CodeJwsCompactJwsInvalid)
	}
	if err := checkProtectedHeader(protected); err != nil {
		return JWS{}, err
	}
	if !IsBase64URL(signature) {
		return JWS{}, codeError(CodeJwsSignatureNotBase64UrlString)
	}
	if !IsBase64URL(payload) {
		return JWS{}, codeError(CodeJwsPayloadNotBase64UrlString)
	}
	return JWS{Protected: protected, Payload: payload, Signature: signature}, nil
}

// es256kHeader is base64url({"alg":"ES256K"}), the header every ION signer writes.
const es256kHeader = "eyJhbGciOiJFUzI1NksifQ"

// checkProtectedHeader checks that a JWS header decodes to an object with one property, alg ES256K. The
// usual header is known to pass, so it is not decoded and parsed again for every operation of a batch.
func checkProtectedHeader(protected string) error {
	if protected == es256kHeader {
		return nil
	}
	header, err := decodeJSONPart(protected, "protected header")
	if err != nil {
		return err
	}
	// Object.keys(header).length must be 1: strings and arrays count their indices, null throws.
	n, err := objectKeysLen(header)
	if err != nil {
		return err
	}
	if n != 1 {
		return codeError(CodeJwsProtectedHeaderMissingOrUnknownProperty)
	}
	if alg, ok := header.Field("alg").Str(); !ok || alg != "ES256K" {
		return codeError(CodeJwsProtectedHeaderMissingOrIncorrectAlg)
	}
	return nil
}

// decodeJSONPart decodes a base64url JSON part. The reference decodes to a string first, so invalid UTF-8
// becomes U+FFFD before JSON.parse; ParseJSON does the same.
func decodeJSONPart(part, what string) (Value, error) {
	raw, err := DecodeBase64URL(part)
	if err != nil {
		return Value{}, err
	}
	v, err := ParseJSON(raw)
	if err != nil {
		return Value{}, &Error{Code: CodeInvalidJSON, Message: what + " is not JSON", Err: err}
	}
	return v, nil
}

// MaxSignedDataPayloadBytes bounds a signed data payload before it is parsed. A valid payload is an
// object of two or three short members (about 300 bytes); only padding (white space, or duplicate keys
// whose last copy wins) makes one longer, and the reference sets no limit. A larger payload is refused, a
// deliberate difference from ION (README): without it a single operation's payload may be several
// megabytes of escapes, parsed again at every resolution of its DID.
const MaxSignedDataPayloadBytes = 16 << 10

// PayloadValue decodes the JWS payload as the reference's parseSignedDataPayload does: with yieldable-json
// (JsonAsync), not JSON.parse, so it accepts and rejects what the reference does, within
// MaxSignedDataPayloadBytes. The payload's properties are read one by one, so inherited ones ("__proto__")
// are refused, and nesting is held to the depth at which the reference crashes reading a batch.
func (j JWS) PayloadValue() (Value, error) { return j.payloadValue(nil) }

// payloadValue is PayloadValue, decoding and parsing into r's blocks when r is not nil.
func (j JWS) payloadValue(r *PayloadReader) (Value, error) {
	if n := len(j.Payload) * 3 / 4; n > MaxSignedDataPayloadBytes { // the decoded length, before decoding
		return Value{}, newError(CodeInvalidJSON, "signed data payload of %d bytes is over the limit of %d bytes", n, MaxSignedDataPayloadBytes)
	}
	var raw []byte
	var err error
	var store *parseStore
	if r == nil {
		raw, err = DecodeBase64URL(j.Payload)
	} else {
		raw, err = r.decode(j.Payload)
		store = &r.store
	}
	if err != nil {
		return Value{}, err
	}
	// raw is this call's own (or r's, which never writes it again): the payload's strings may share it.
	v, _, err := parseYieldable(raw, YieldableLimits{MaxDepth: BatchYieldableDepth, RefusePrototypes: true}, true, store)
	return v, err
}

// Compact returns the compact serialization.
func (j JWS) Compact() string { return j.Protected + "." + j.Payload + "." + j.Signature }

// VerifyES256K reports whether the signature is a valid ES256K signature by key (a secp256k1 JWK value)
// over the JWS signing input. As with the reference (Node's crypto through jose), high-S signatures are
// accepted and r, s must lie in [1, n-1].
func (j JWS) VerifyES256K(key Value) bool {
	pub, err := es256kPublicKey(key)
	if err != nil {
		return false
	}
	return j.verifyWith(pub)
}

func (j JWS) verifyWith(pub *secp256k1.PublicKey) bool {
	sig, err := DecodeBase64URL(j.Signature)
	if err != nil || len(sig) != 64 {
		return false
	}
	var r, s secp256k1.ModNScalar
	if r.SetByteSlice(sig[:32]) || s.SetByteSlice(sig[32:]) || r.IsZero() || s.IsZero() {
		return false
	}
	hash := signingHash(j.Protected, j.Payload)
	return ecdsa.NewSignature(&r, &s).Verify(hash[:], pub)
}

func signingHash(protected, payload string) [32]byte {
	h := sha256.New()
	h.Write([]byte(protected))
	h.Write([]byte{'.'})
	h.Write([]byte(payload))
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// SigningKey signs ION's signed data with a secp256k1 key. A private JWK is one; a key held in an HSM or
// a KMS is another (package signer adapts those). sidetree hands over the SHA-256 of the JWS signing input
// and gets a 64-byte R||S back, so the protocol core does no I/O and never needs the private key.
type SigningKey interface {
	// PublicJWK is the key's public secp256k1 JWK (the reveal value and signed data commit to it).
	PublicJWK() JWK
	// SignES256KDigest signs a SHA-256 digest: 64-byte R||S, low S.
	SignES256KDigest(digest [32]byte) ([]byte, error)
}

// PublicJWK returns the key without its private part.
func (k JWK) PublicJWK() JWK { return k.Public() }

// SignES256KDigest signs with a secp256k1 private JWK as ion-sdk's LocalSigner does: RFC 6979
// deterministic, low-S, 64-byte R||S.
func (k JWK) SignES256KDigest(digest [32]byte) ([]byte, error) {
	if k.Kty != "EC" || k.Crv != "secp256k1" || k.D == "" {
		return nil, fmt.Errorf("signing key must be a secp256k1 private JWK")
	}
	d, err := DecodeBase64URL(k.D)
	if err != nil || len(d) != 32 {
		return nil, fmt.Errorf("signing key 'd' is not a 32-byte base64url value")
	}
	sig := ecdsa.SignCompact(secp256k1.PrivKeyFromBytes(d), digest[:], false) // [recovery byte][R][S]
	return sig[1:], nil
}

// SignES256K signs payload (serialized with JSON.stringify's rules) under the header {"alg":"ES256K"}.
// The signature must verify under the key's public JWK: a key held elsewhere that signs with another key
// fails here rather than in every node that later rejects the operation.
func SignES256K(payload Value, key SigningKey) (JWS, error) {
	j := JWS{
		Protected: EncodeBase64URL([]byte(`{"alg":"ES256K"}`)),
		Payload:   EncodeBase64URL(payload.Stringify()),
	}
	sig, err := key.SignES256KDigest(signingHash(j.Protected, j.Payload))
	if err != nil {
		return JWS{}, fmt.Errorf("sign ES256K: %w", err)
	}
	if len(sig) != 64 {
		return JWS{}, fmt.Errorf("sign ES256K: signature of %d bytes, want 64", len(sig))
	}
	j.Signature = EncodeBase64URL(sig)
	pub, err := es256kPublicKey(key.PublicJWK().Value())
	if err != nil {
		return JWS{}, fmt.Errorf("sign ES256K: %w", err)
	}
	if !j.verifyWith(pub) {
		return JWS{}, fmt.Errorf("sign ES256K: the signature does not verify with the key's public JWK")
	}
	return j, nil
}
