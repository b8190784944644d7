package jwe

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// Algorithm is the only key management algorithm offered: ECDH-ES directly on the wallet's ephemeral
// key, as OpenID4VP 1.0 requires verifiers to support.
const Algorithm = "ECDH-ES"

// Content encryptions a verifier accepts; DefaultEncs is what it offers when not told otherwise.
const (
	A128GCM = "A128GCM"
	A256GCM = "A256GCM"
)

// DefaultEncs are the content encryptions offered in encrypted_response_enc_values_supported.
var DefaultEncs = []string{A128GCM, A256GCM}

// MaxBytes bounds a compact JWE before it is parsed.
const MaxBytes = 512 << 10

// Errors of Decrypt, matched with errors.Is.
var (
	// ErrMalformed: not a compact JWE within MaxBytes, or its header does not parse.
	ErrMalformed = errors.New("malformed JWE")
	// ErrAlgorithm: alg or enc is not one offered, or the JWE is compressed.
	ErrAlgorithm = errors.New("JWE algorithm not accepted")
	// ErrWrongKey: the JWE names another key (kid).
	ErrWrongKey = errors.New("JWE is for another key")
	// ErrDecrypt: the JWE does not decrypt and authenticate under this key (tampered, or encrypted to
	// another key).
	ErrDecrypt = errors.New("JWE does not decrypt")
)

// Key is a verifier's encryption key for one request.
type Key struct {
	jwk jose.JSONWebKey // private
}

// NewKey returns a fresh P-256 key with a random kid.
func NewKey() (*Key, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	var id [12]byte
	_, _ = rand.Read(id[:]) // crypto/rand.Read never fails
	return &Key{jwk: jose.JSONWebKey{Key: priv, KeyID: base64.RawURLEncoding.EncodeToString(id[:]),
		Algorithm: Algorithm, Use: "enc"}}, nil
}

// ParseKey reads a key stored by MarshalJSON.
func ParseKey(data []byte) (*Key, error) {
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	priv, ok := k.Key.(*ecdsa.PrivateKey)
	if !ok || priv.Curve != elliptic.P256() {
		return nil, errors.New("encryption key: not a P-256 private key")
	}
	return &Key{jwk: k}, nil
}

// MarshalJSON writes the private key as a JWK, for the request record.
func (k *Key) MarshalJSON() ([]byte, error) { return k.jwk.MarshalJSON() }

// KID is the key's id.
func (k *Key) KID() string { return k.jwk.KeyID }

// Public is the public JWK to offer in client_metadata.jwks.
func (k *Key) Public() jose.JSONWebKey { return k.jwk.Public() }

// JWKS is client_metadata.jwks: a set holding the public key.
func (k *Key) JWKS() jose.JSONWebKeySet {
	return jose.JSONWebKeySet{Keys: []jose.JSONWebKey{k.Public()}}
}

// Decrypt decrypts a compact JWE encrypted to k with ECDH-ES and one of encs (default DefaultEncs),
// returning the plaintext. The error wraps ErrMalformed, ErrAlgorithm, ErrWrongKey or ErrDecrypt.
func (k *Key) Decrypt(compact string, encs []string) ([]byte, error) {
	if len(compact) > MaxBytes {
		return nil, fmt.Errorf("%w: over %d bytes", ErrMalformed, MaxBytes)
	}
	if strings.Count(compact, ".") != 4 {
		return nil, fmt.Errorf("%w: not five compact parts", ErrMalformed)
	}
	if len(encs) == 0 {
		encs = DefaultEncs
	}
	h, err := readHeader(compact)
	if err != nil {
		return nil, err
	}
	switch {
	case h.Alg != Algorithm:
		return nil, fmt.Errorf("%w: alg %q", ErrAlgorithm, truncate(h.Alg))
	case !slices.Contains(encs, h.Enc):
		return nil, fmt.Errorf("%w: enc %q", ErrAlgorithm, truncate(h.Enc))
	case h.Zip != nil:
		// Compression is refused rather than bounded: OpenID4VP responses never use it, and
		// decompression is work an attacker chooses.
		return nil, fmt.Errorf("%w: compressed JWE", ErrAlgorithm)
	case h.Kid != "" && h.Kid != k.jwk.KeyID:
		return nil, fmt.Errorf("%w: kid %q", ErrWrongKey, truncate(h.Kid))
	}
	obj, err := jose.ParseEncryptedCompact(compact, []jose.KeyAlgorithm{jose.ECDH_ES}, []jose.ContentEncryption{jose.ContentEncryption(h.Enc)})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	plain, err := obj.Decrypt(k.jwk.Key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	return plain, nil
}

// Encrypt is the wallet's side: it encrypts plaintext to a verifier's offered key pub with ECDH-ES and
// enc.
func Encrypt(pub jose.JSONWebKey, enc string, plaintext []byte) (string, error) {
	e, err := jose.NewEncrypter(jose.ContentEncryption(enc),
		jose.Recipient{Algorithm: jose.ECDH_ES, Key: pub.Key, KeyID: pub.KeyID}, nil)
	if err != nil {
		return "", fmt.Errorf("encrypt: %w", err)
	}
	obj, err := e.Encrypt(plaintext)
	if err != nil {
		return "", fmt.Errorf("encrypt: %w", err)
	}
	return obj.CompactSerialize()
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// header is the protected header members Decrypt judges before handing the JWE to go-jose.
type header struct {
	Alg string          `json:"alg"`
	Enc string          `json:"enc"`
	Kid string          `json:"kid"`
	Zip json.RawMessage `json:"zip"`
}

// maxHeaderBytes bounds the protected header (an EC epk, a kid, apu/apv are far smaller).
const maxHeaderBytes = 4 << 10

func readHeader(compact string) (*header, error) {
	enc, _, _ := strings.Cut(compact, ".")
	if base64.RawURLEncoding.DecodedLen(len(enc)) > maxHeaderBytes {
		return nil, fmt.Errorf("%w: protected header over %d bytes", ErrMalformed, maxHeaderBytes)
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return nil, fmt.Errorf("%w: protected header: %v", ErrMalformed, err)
	}
	var h header
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, fmt.Errorf("%w: protected header: %v", ErrMalformed, err)
	}
	return &h, nil
}
