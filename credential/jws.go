package credential

import (
	"context"
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

// Sign makes a compact JWS of payload with the signer's key, kid (when it has one) and the given typ
// header.
func (s *Signer) Sign(payload []byte, typ string) (string, error) {
	return s.SignContext(context.Background(), payload, typ)
}

// SignContext is Sign with a context for backends that do I/O (an HSM, a KMS).
func (s *Signer) SignContext(ctx context.Context, payload []byte, typ string) (string, error) {
	opts := &jose.SignerOptions{}
	if s.KID != "" {
		opts = opts.WithHeader("kid", s.KID)
	}
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	key := jose.SigningKey{Algorithm: jose.SignatureAlgorithm(s.Alg), Key: joseSigner{ctx, s.key}}
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
