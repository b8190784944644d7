package siop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/internal/jsonlimit"
	"github.com/ionode/ionode/resolver"
)

// Code is a stable reason an ID Token is refused.
type Code string

// Refusal codes, one per check.
const (
	// CodeInvalid: not a JWS within MaxBytes, an alg not accepted, claims that do not parse, a missing
	// claim, or iss and sub that are not one DID.
	CodeInvalid Code = "id_token_invalid"
	// CodeUnresolvable: the subject's DID does not resolve (or is deactivated).
	CodeUnresolvable Code = "id_token_unresolvable_subject"
	// CodeKeyNotAuthorized: the kid is missing, names another DID, or is not in the DID's authentication.
	CodeKeyNotAuthorized Code = "id_token_key_not_authorized"
	// CodeInvalidSignature: the signature does not verify with the kid's key (or the alg is not the key's).
	CodeInvalidSignature Code = "id_token_invalid_signature"
	// CodeAudience: aud does not contain the verifier's client_id.
	CodeAudience Code = "id_token_audience_mismatch"
	// CodeNonce: nonce is not the request's.
	CodeNonce Code = "id_token_nonce_mismatch"
	// CodeExpired: exp is past (beyond the clock skew).
	CodeExpired Code = "id_token_expired"
	// CodeNotYetValid: iat is in the future (beyond the clock skew).
	CodeNotYetValid Code = "id_token_not_yet_valid"
)

// Error is a refusal with its Code.
type Error struct {
	Code   Code
	Detail string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Detail }

func refuse(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// Limits on an ID Token, checked before its claims are decoded.
const (
	MaxBytes = 16 << 10
	maxDepth = 8
)

// Token is a parsed, not yet verified, self-issued ID Token.
type Token struct {
	jws      *credential.JWS
	Subject  string
	Audience []string
	Nonce    string
	Expires  time.Time
	IssuedAt time.Time
}

type claims struct {
	Iss   string                  `json:"iss"`
	Sub   string                  `json:"sub"`
	Aud   credential.StringOrList `json:"aud"`
	Nonce string                  `json:"nonce"`
	Exp   *credential.NumericDate `json:"exp"`
	Iat   *credential.NumericDate `json:"iat"`
}

// Parse reads a self-issued ID Token signed with one of algs (default credential.Algorithms) without
// verifying it. It costs one pass over the input per step (size, depth, decode). A failure is an *Error
// with CodeInvalid.
func Parse(raw string, algs []string) (*Token, error) {
	if len(raw) > MaxBytes {
		return nil, refuse(CodeInvalid, "over %d bytes", MaxBytes)
	}
	jws, err := credential.ParseJWS(strings.TrimSpace(raw), algs)
	if err != nil {
		return nil, refuse(CodeInvalid, "%v", err)
	}
	payload := jws.Payload()
	if err := jsonlimit.Check(payload, MaxBytes, maxDepth); err != nil {
		return nil, refuse(CodeInvalid, "claims: %v", err)
	}
	var c claims
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, refuse(CodeInvalid, "claims: %v", err)
	}
	switch {
	case c.Sub == "" || c.Iss != c.Sub:
		// Self-issued: the holder asserts itself (SIOPv2 §11).
		return nil, refuse(CodeInvalid, "iss %q and sub %q are not the same subject", credential.Truncate(c.Iss), credential.Truncate(c.Sub))
	case len(c.Aud) == 0 || c.Exp == nil || c.Iat == nil:
		return nil, refuse(CodeInvalid, "aud, exp and iat are required")
	}
	if _, err := resolver.MethodName(c.Sub); err != nil {
		return nil, refuse(CodeInvalid, "sub is not a DID: %v", err)
	}
	return &Token{jws: jws, Subject: c.Sub, Audience: c.Aud, Nonce: c.Nonce, Expires: c.Exp.Time, IssuedAt: c.Iat.Time}, nil
}

// Verifier verifies ID Tokens. Resolver is required.
type Verifier struct {
	Resolver credential.DIDResolver
	// ClockSkew as credential.Verifier's: zero is one minute, negative none.
	ClockSkew time.Duration
	// Algorithms accepted; default credential.Algorithms.
	Algorithms []string
	Now        func() time.Time
}

// Expect is what the request bound the ID Token to.
type Expect struct {
	Audience string // the verifier's client_id
	Nonce    string
}

// Verify checks raw against want and returns its subject (the holder's DID). A failure is an *Error.
func (v *Verifier) Verify(ctx context.Context, raw string, want Expect) (string, error) {
	t, err := Parse(raw, v.Algorithms)
	if err != nil {
		return "", err
	}
	pub, _, err := credential.ResolveKey(ctx, v.Resolver, t.Subject, t.jws.Header().Kid, resolver.Authentication)
	if err != nil {
		code := CodeKeyNotAuthorized
		switch credential.CodeOf(err) {
		case credential.CodeUnresolvableIssuer:
			code = CodeUnresolvable
		case credential.CodeUnsupportedAlg:
			code = CodeInvalidSignature
		}
		return "", refuse(code, "%v", err)
	}
	if err := t.jws.Verify(pub); err != nil {
		return "", refuse(CodeInvalidSignature, "%v", err)
	}
	if want.Audience == "" || !slices.Contains(t.Audience, want.Audience) {
		return "", refuse(CodeAudience, "aud %q does not include %q", t.Audience, credential.Truncate(want.Audience))
	}
	if want.Nonce == "" || t.Nonce != want.Nonce {
		return "", refuse(CodeNonce, "nonce does not match the request's")
	}
	now, skew := v.now(), credential.EffectiveSkew(v.ClockSkew)
	if !now.Before(t.Expires.Add(skew)) {
		return "", refuse(CodeExpired, "expired at %s", t.Expires.Format(time.RFC3339))
	}
	if t.IssuedAt.After(now.Add(skew)) {
		return "", refuse(CodeNotYetValid, "issued in the future (%s)", t.IssuedAt.Format(time.RFC3339))
	}
	return t.Subject, nil
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// CodeOf returns the Code of an *Error in err's chain, or "".
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
