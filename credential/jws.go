package credential

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/go-jose/go-jose/v4"
)

var b64 = base64.RawURLEncoding

// maxTokenLength bounds the JWTs we parse: a presentation with several credentials fits well within.
const maxTokenLength = 256 << 10

// Sign makes a compact JWS of payload with the signer's key, kid and the given typ header.
func (s *Signer) Sign(payload []byte, typ string) (string, error) {
	opts := (&jose.SignerOptions{}).WithHeader("kid", s.KID)
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	key := jose.SigningKey{Algorithm: jose.SignatureAlgorithm(s.Alg), Key: s.key}
	if k, ok := s.key.(*secp256k1.PrivateKey); ok {
		key.Key = es256kSigner{k}
	}
	signer, err := jose.NewSigner(key, opts)
	if err != nil {
		return "", fmt.Errorf("signer: %w", err)
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	return obj.CompactSerialize()
}

// Header is the protected header members we read.
type Header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
	Cty string `json:"cty"`
}

// token is a parsed, not yet verified, compact JWS.
type token struct {
	jws     *jose.JSONWebSignature
	header  Header
	payload []byte
}

// parseToken parses a compact JWS with one of the allowed algorithms. A failure is invalid_jwt, or
// unsupported_alg when only the algorithm is wrong.
func parseToken(raw string, algs []string) (*token, error) {
	if len(raw) > maxTokenLength {
		return nil, fail(CodeInvalidJWT, "token longer than %d bytes", maxTokenLength)
	}
	if strings.Count(raw, ".") != 2 {
		return nil, fail(CodeInvalidJWT, "not a compact JWS")
	}
	allowed := make([]jose.SignatureAlgorithm, len(algs))
	for i, a := range algs {
		allowed[i] = jose.SignatureAlgorithm(a)
	}
	jws, err := jose.ParseSignedCompact(raw, allowed)
	if err != nil {
		if h, herr := peekHeader(raw); herr == nil && !contains(algs, h.Alg) {
			return nil, fail(CodeUnsupportedAlg, "alg %q is not accepted", h.Alg)
		}
		return nil, fail(CodeInvalidJWT, "parse JWS: %w", err)
	}
	if len(jws.Signatures) != 1 {
		return nil, fail(CodeInvalidJWT, "JWS must have one signature")
	}
	t := &token{jws: jws, payload: jws.UnsafePayloadWithoutVerification()}
	h := jws.Signatures[0].Protected
	t.header = Header{Alg: h.Algorithm, Kid: h.KeyID}
	if v, ok := h.ExtraHeaders[jose.HeaderType].(string); ok {
		t.header.Typ = v
	}
	if v, ok := h.ExtraHeaders[jose.HeaderContentType].(string); ok {
		t.header.Cty = v
	}
	if !contains(algs, t.header.Alg) {
		return nil, fail(CodeUnsupportedAlg, "alg %q is not accepted", t.header.Alg)
	}
	return t, nil
}

func peekHeader(raw string) (Header, error) {
	var h Header
	first, _, _ := strings.Cut(raw, ".")
	b, err := b64.DecodeString(first)
	if err != nil {
		return h, err
	}
	return h, json.Unmarshal(b, &h)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// verify checks the signature with pub, after checking that the header's alg is the key's.
func (t *token) verify(pub crypto.PublicKey) error {
	alg, err := AlgorithmFor(pub)
	if err != nil {
		return fail(CodeUnsupportedAlg, "%w", err)
	}
	if alg != t.header.Alg {
		return fail(CodeUnsupportedAlg, "alg %s does not match the %s key of %s", t.header.Alg, alg, t.header.Kid)
	}
	var key any = pub
	switch k := pub.(type) {
	case *secp256k1.PublicKey:
		key = es256kVerifier{k}
	case ed25519.PublicKey, *ecdsa.PublicKey:
	}
	if _, err := t.jws.Verify(key); err != nil {
		return fail(CodeInvalidSignature, "signature does not verify with %s", t.header.Kid)
	}
	return nil
}

// JWS is a parsed compact JWS whose signature is not yet verified, for protocols that carry their own
// JWTs (an OpenID4VCI proof of possession, a request object): they share this package's algorithms,
// ES256K included, and its size bound.
type JWS struct{ t *token }

// ParseJWS parses a compact JWS signed with one of algs (nil: Algorithms). Errors are *Failure with
// CodeInvalidJWT or CodeUnsupportedAlg.
func ParseJWS(raw string, algs []string) (*JWS, error) {
	if algs == nil {
		algs = Algorithms
	}
	t, err := parseToken(raw, algs)
	if err != nil {
		return nil, err
	}
	return &JWS{t: t}, nil
}

// Header is the protected header's alg, kid, typ and cty.
func (j *JWS) Header() Header { return j.t.header }

// HeaderKey returns the public key of the protected header's "jwk" member, or nil when there is none
// or it holds a private key. (go-jose reads the member and knows no secp256k1 JWK: a JWS with one fails
// ParseJWS.)
func (j *JWS) HeaderKey() crypto.PublicKey {
	k := j.t.jws.Signatures[0].Protected.JSONWebKey
	if k == nil || !k.IsPublic() {
		return nil
	}
	return k.Key
}

// Payload is the signed payload; trust it only after Verify.
func (j *JWS) Payload() []byte { return j.t.payload }

// Verify checks that the alg is pub's and that the signature verifies with it.
func (j *JWS) Verify(pub crypto.PublicKey) error { return j.t.verify(pub) }
