package credential

import (
	"context"
	"crypto"
	"errors"
	"strings"

	"github.com/go-jose/go-jose/v4"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/signer"
)

// JWS is a parsed compact JWS whose signature is not yet verified. Other credential formats built on
// JWS (SD-JWT, status list tokens) and protocols that carry their own JWTs (an OpenID4VCI proof of
// possession, a request object) parse and verify through it, so that every JWS the node accepts goes
// through one parser with one set of algorithm and size rules.
type JWS struct{ t *token }

// ParseJWS parses a compact JWS signed with one of algs (default Algorithms). A failure is a *Failure
// with CodeInvalidJWT, or CodeUnsupportedAlg when only the algorithm is refused.
func ParseJWS(raw string, algs []string) (*JWS, error) {
	if len(algs) == 0 {
		algs = Algorithms
	}
	t, err := parseToken(raw, algs)
	if err != nil {
		return nil, err
	}
	return &JWS{t}, nil
}

// Header is the protected header.
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

// Payload is the signed payload (unverified until Verify returns nil).
func (j *JWS) Payload() []byte { return j.t.payload }

// HeaderValue returns a protected header member other than alg, kid, typ and cty (nil if absent).
func (j *JWS) HeaderValue(name string) any {
	return j.t.jws.Signatures[0].Protected.ExtraHeaders[jose.HeaderKey(name)]
}

// Verify checks the signature with pub; the header's alg must be the key's. A failure is a *Failure
// with CodeInvalidSignature or CodeUnsupportedAlg.
func (j *JWS) Verify(pub crypto.PublicKey) error { return j.t.verify(pub) }

// NewBareSigner makes a Signer for an in-memory key that is not named by a DID URL: kid is written to
// the JWS header as given, and left out when empty (a holder's key-binding JWT, whose key the credential
// carries, or an issuer whose keys are published as JWT VC issuer metadata).
func NewBareSigner(kid string, key crypto.PrivateKey) (*Signer, error) {
	alg, err := AlgorithmFor(key)
	if err != nil {
		return nil, err
	}
	local, err := signer.NewLocal(kid, "file", key)
	if err != nil {
		return nil, err
	}
	return &Signer{KID: kid, Alg: alg, key: local}, nil
}

// ResolveKey finds the public key that kid names in did's document, in relationship
// (resolver.AssertionMethod for issuers, resolver.Authentication for holders). A kid of "#fragment" is
// relative to did. It returns the resolution too (nil when resolution failed). A failure is a *Failure:
// CodeKeyNotAuthorized (kid of another DID, not in the relationship), CodeUnresolvableIssuer or
// CodeUnsupportedAlg (key material of an unsupported type).
func ResolveKey(ctx context.Context, r DIDResolver, did, kid, relationship string) (crypto.PublicKey, *resolver.Result, error) {
	if kid == "" {
		return nil, nil, fail(CodeKeyNotAuthorized, "JWS header has no kid")
	}
	orig := kid
	if strings.HasPrefix(kid, "#") {
		kid = did + kid
	}
	kidDID, frag := resolver.SplitDIDURL(kid)
	if kidDID != did || !strings.HasPrefix(frag, "#") {
		return nil, nil, fail(CodeKeyNotAuthorized, "kid %q is not a key of %s", trunc(orig), trunc(did))
	}
	res, err := r.Resolve(ctx, did)
	if err != nil {
		return nil, nil, fail(CodeUnresolvableIssuer, "%s: %w", trunc(did), err)
	}
	vm, err := res.Document.FindMethod(kid, relationship)
	if err != nil {
		return nil, res, fail(CodeKeyNotAuthorized, "%w", err)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		code := CodeKeyNotAuthorized
		if errors.Is(err, resolver.ErrUnsupportedKey) {
			code = CodeUnsupportedAlg
		}
		return nil, res, fail(code, "%s: %w", trunc(kid), err)
	}
	return pub, res, nil
}

// Truncate shortens s for error details and logs.
func Truncate(s string) string { return trunc(s) }

// NewFailure builds a *Failure with code; a %w verb keeps the cause.
func NewFailure(code Code, format string, args ...any) *Failure { return fail(code, format, args...) }

// NumericDate is a JWT NumericDate (seconds since the epoch, possibly fractional) as the package reads
// it: non-negative and before the year 5138.
type NumericDate = numericDate

// StringOrList is a JWT claim that is a string or an array of strings (aud), as the package reads it.
type StringOrList = stringOrList
