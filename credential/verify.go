package credential

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/ionode/ionode/resolver"
)

// StatusChecker checks a credentialStatus entry of a credential from issuer. It returns nil when the
// credential is not revoked or suspended, a *Failure with CodeRevoked when it is, and one with
// CodeStatusUnavailable when the status cannot be determined.
type StatusChecker interface {
	CheckStatus(ctx context.Context, issuer string, entry Status) error
}

// Policy decides whether an issuer is trusted for a credential's types. It returns the checks it made,
// and a *Failure (CodeUntrustedIssuer, CodeDomainNotLinked) when the issuer is not trusted.
type Policy interface {
	Evaluate(ctx context.Context, issuer *resolver.Result, types []string) ([]Check, error)
}

// Verifier verifies VC-JWTs and VP-JWTs. Set Resolver; the other fields are optional. A Verifier is
// safe for concurrent use.
type Verifier struct {
	Resolver DIDResolver
	// Status checks credentialStatus entries. When nil, a credential with a status fails with
	// status_unavailable unless IgnoreStatus is set (status list and domain linkage credentials are
	// verified that way).
	Status       StatusChecker
	IgnoreStatus bool
	// Policy decides which issuers are trusted; nil trusts every issuer whose signature verifies.
	Policy Policy
	// ClockSkew is tolerated on nbf/exp and validFrom/validUntil; default 1 minute, negative none.
	ClockSkew time.Duration
	// Algorithms accepted; default ES256K, EdDSA, ES256.
	Algorithms []string
	Now        func() time.Time // default time.Now
	Logger     *slog.Logger     // audit log; default discards
}

// PresentationOptions bind a presentation to this verifier's request.
type PresentationOptions struct {
	// Audience is this verifier's identifier (its DID or URL); the VP's aud must contain it. Required.
	Audience string
	// Nonce is the challenge given to the holder; when set, the VP's nonce must equal it.
	Nonce string
	// AllowUnboundCredentials accepts credentials whose subject is not the holder.
	AllowUnboundCredentials bool
}

// Check names, in the order they run.
const (
	CheckJWT        = "jwt"
	CheckClaims     = "claims"
	CheckResolution = "issuer_resolution"
	CheckKey        = "key_authorization"
	CheckSignature  = "signature"
	CheckValidity   = "validity_period"
	CheckStatus     = "status"
	CheckTrust      = "issuer_trust"
	CheckAudience   = "audience"
	CheckNonce      = "nonce"
	CheckHolder     = "holder_binding"
	CheckContents   = "credentials"
)

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) skew() time.Duration { return EffectiveSkew(v.ClockSkew) }

// EffectiveSkew is the clock skew a ClockSkew setting means: zero is the default of one minute,
// negative is none.
func EffectiveSkew(setting time.Duration) time.Duration {
	switch {
	case setting < 0:
		return 0
	case setting == 0:
		return time.Minute
	}
	return setting
}

func (v *Verifier) algorithms() []string {
	if len(v.Algorithms) > 0 {
		return v.Algorithms
	}
	return Algorithms
}

func (v *Verifier) logger() *slog.Logger {
	if v.Logger != nil {
		return v.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// NewTransactionID returns a random identifier for a verification, logged and returned with it.
func NewTransactionID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// VerifyCredential verifies a VC-JWT (either format) and logs the result.
func (v *Verifier) VerifyCredential(ctx context.Context, jwt string) *Result {
	r := v.verifyCredential(ctx, jwt, NewTransactionID())
	r.log(ctx, v.logger())
	return r
}

func (v *Verifier) verifyCredential(ctx context.Context, jwt, txid string) *Result {
	r := &Result{TransactionID: txid, Kind: "credential", Checks: make([]Check, 0, 8)}
	tok, err := parseToken(strings.TrimSpace(jwt), v.algorithms())
	if err != nil {
		return r.fail(CheckJWT, err, CodeInvalidJWT)
	}
	vc, parsed, err := readCredential(tok)
	if vc != nil {
		r.Credential = vc
	}
	if err != nil {
		return r.fail(CheckJWT, err, CodeInvalidJWT)
	}
	r.pass(CheckJWT, fmt.Sprintf("%s, alg %s", vc.Format, tok.header.Alg))
	if err := checkCredentialClaims(parsed); err != nil {
		return r.fail(CheckClaims, err, CodeInvalidClaims)
	}
	r.pass(CheckClaims, "")

	issuer, kid, ok := v.checkSignature(ctx, r, tok, vc.Issuer, resolver.AssertionMethod)
	if !ok {
		return r
	}
	vc.KID, vc.IssuerResolution = kid, issuer
	if !v.checkValidity(r, vc.ValidFrom, vc.ValidUntil) {
		return r
	}
	if !v.checkStatus(ctx, r, vc) {
		return r
	}
	if v.Policy == nil {
		r.skip(CheckTrust, "no trust policy")
	} else {
		checks, err := v.Policy.Evaluate(ctx, issuer, vc.Types)
		r.Checks = append(r.Checks, checks...)
		if err != nil {
			return r.fail(CheckTrust, err, CodeUntrustedIssuer)
		}
		r.pass(CheckTrust, "")
	}
	r.Valid = true
	return r
}

// checkSignature resolves the kid's DID (which must be the expected signer's), checks the method is in
// the relationship and verifies the signature. It returns the signer's resolution and the DID URL of the
// key that verified.
func (v *Verifier) checkSignature(ctx context.Context, r *Result, tok *token, signer, relationship string) (*resolver.Result, string, bool) {
	kid := tok.header.Kid
	if kid == "" {
		return v.checkSignatureWithoutKid(ctx, r, tok, signer, relationship)
	}
	pub, res, err := ResolveKey(ctx, v.Resolver, signer, kid, relationship)
	if res != nil {
		r.pass(CheckResolution, "")
	}
	if err != nil {
		name := CheckKey
		if CodeOf(err) == CodeUnresolvableIssuer {
			name = CheckResolution
		}
		r.fail(name, err, CodeKeyNotAuthorized)
		return nil, "", false
	}
	r.pass(CheckKey, fmt.Sprintf("%s in %s", trunc(kid), relationship))
	if err := tok.verify(pub); err != nil {
		r.fail(CheckSignature, err, CodeInvalidSignature)
		return nil, "", false
	}
	r.pass(CheckSignature, tok.header.Alg)
	return res, tok.header.Kid, true
}

// maxKeylessCandidates bounds the signature checks of a JWS without kid: the signer's DID document is
// chosen by whoever sent the token, and each candidate key costs a signature verification.
const maxKeylessCandidates = 16

// checkSignatureWithoutKid verifies a JWS that names no key (valid per RFC 7515 and VC-JWT 1.1 §6.3.1,
// and did-jwt-vc's default output) against each of the signer's keys in the relationship whose type
// matches the alg. It fails with key_not_authorized when there is no such key, and with
// invalid_signature when none of them verifies.
func (v *Verifier) checkSignatureWithoutKid(ctx context.Context, r *Result, tok *token, signer, relationship string) (*resolver.Result, string, bool) {
	res, ok := v.resolveSigner(ctx, r, signer)
	if !ok {
		return nil, "", false
	}
	vms, err := res.Document.Methods(relationship)
	if err != nil {
		r.fail(CheckKey, fail(CodeKeyNotAuthorized, "%w", err), CodeKeyNotAuthorized)
		return nil, "", false
	}
	tried := 0
	for _, vm := range vms {
		pub, err := vm.PublicKey()
		if err != nil {
			continue
		}
		if alg, err := AlgorithmFor(pub); err != nil || alg != tok.header.Alg {
			continue
		}
		if tried++; tried > maxKeylessCandidates {
			break
		}
		if tok.verify(pub) == nil {
			kid := res.Document.AbsoluteID(vm.ID)
			r.pass(CheckKey, fmt.Sprintf("no kid: %s in %s", trunc(kid), relationship))
			r.pass(CheckSignature, tok.header.Alg)
			return res, kid, true
		}
	}
	if tried == 0 {
		r.fail(CheckKey, fail(CodeKeyNotAuthorized, "JWS header has no kid and %s has no %s key in %s", trunc(signer), tok.header.Alg, relationship), CodeKeyNotAuthorized)
		return nil, "", false
	}
	tried = min(tried, maxKeylessCandidates)
	r.pass(CheckKey, fmt.Sprintf("no kid: %d %s keys in %s", tried, tok.header.Alg, relationship))
	r.fail(CheckSignature, fail(CodeInvalidSignature, "JWS header has no kid and the signature verifies with none of the %d %s keys of %s in %s", tried, tok.header.Alg, trunc(signer), relationship), CodeInvalidSignature)
	return nil, "", false
}

func (v *Verifier) resolveSigner(ctx context.Context, r *Result, signer string) (*resolver.Result, bool) {
	res, err := v.Resolver.Resolve(ctx, signer)
	if err != nil {
		r.fail(CheckResolution, fail(CodeUnresolvableIssuer, "%s: %w", trunc(signer), err), CodeUnresolvableIssuer)
		return nil, false
	}
	r.pass(CheckResolution, "")
	return res, true
}

func (v *Verifier) checkValidity(r *Result, from, until *time.Time) bool {
	now := v.now()
	if from != nil && now.Add(v.skew()).Before(*from) {
		r.fail(CheckValidity, fail(CodeNotYetValid, "valid from %s", from.Format(time.RFC3339)), CodeNotYetValid)
		return false
	}
	if until != nil && now.Add(-v.skew()).After(*until) {
		r.fail(CheckValidity, fail(CodeExpired, "expired at %s", until.Format(time.RFC3339)), CodeExpired)
		return false
	}
	r.pass(CheckValidity, "")
	return true
}

func (v *Verifier) checkStatus(ctx context.Context, r *Result, vc *VerifiedCredential) bool {
	switch {
	case len(vc.Status) == 0:
		r.skip(CheckStatus, "no credentialStatus")
		return true
	case v.IgnoreStatus:
		r.skip(CheckStatus, "status not checked")
		return true
	case v.Status == nil:
		r.fail(CheckStatus, fail(CodeStatusUnavailable, "no status checker configured"), CodeStatusUnavailable)
		return false
	}
	for _, entry := range vc.Status {
		if err := v.Status.CheckStatus(ctx, vc.Issuer, entry); err != nil {
			r.fail(CheckStatus, err, CodeStatusUnavailable)
			return false
		}
	}
	r.pass(CheckStatus, fmt.Sprintf("%d entries", len(vc.Status)))
	return true
}

func trunc(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// parsedCredential keeps the decoded claims and credential for the consistency checks.
type parsedCredential struct {
	claims jwtClaims
	body   vcBody
}

// readCredential reads the credential of a parsed VC-JWT in either format.
func readCredential(tok *token) (*VerifiedCredential, *parsedCredential, error) {
	p := &parsedCredential{}
	c := &p.claims
	if err := json.Unmarshal(tok.payload, c); err != nil {
		return nil, nil, fail(CodeInvalidJWT, "claims: %w", err)
	}
	out := &VerifiedCredential{}
	raw := c.VC
	switch typ := strings.ToLower(tok.header.Typ); {
	case typ == "vc+jwt" || typ == "application/vc+jwt" || typ == "vc+ld+jwt" || typ == "application/vc+ld+jwt":
		out.Format, raw = FormatVCJWT, tok.payload
	case len(c.VC) > 0:
		out.Format = FormatJWT
	default:
		return nil, nil, fail(CodeInvalidJWT, "no vc claim and typ %q is not vc+jwt", tok.header.Typ)
	}
	body := &p.body
	if err := json.Unmarshal(raw, body); err != nil {
		return nil, nil, fail(CodeInvalidJWT, "credential: %w", err)
	}
	out.Claims = raw
	out.Types = body.Type
	if !contains(out.Types, "VerifiableCredential") {
		return out, nil, fail(CodeInvalidJWT, "type does not include VerifiableCredential")
	}
	issuer, err := issuerID(body.Issuer)
	if err != nil {
		return out, nil, fail(CodeInvalidJWT, "%w", err)
	}
	if out.Format == FormatVCJWT {
		out.Issuer, out.ID = issuer, body.ID
	} else {
		out.Issuer, out.ID = c.Iss, c.Jti
	}
	if out.Issuer == "" {
		return out, nil, fail(CodeInvalidJWT, "no issuer")
	}
	ids, err := subjectIDs(body.CredentialSubject)
	if err != nil {
		return out, nil, fail(CodeInvalidJWT, "%w", err)
	}
	out.Subject = c.Sub
	if out.Subject == "" && len(ids) == 1 {
		out.Subject = ids[0]
	}
	if out.Status, err = statusEntries(body.CredentialStatus); err != nil {
		return out, nil, fail(CodeInvalidJWT, "%w", err)
	}
	// Validity: the JWT claims, else the data model's dates; with both, the narrower window.
	from, until := timePtr(c.Nbf), timePtr(c.Exp)
	for _, d := range []struct {
		s     string
		dst   **time.Time
		later bool
	}{{body.ValidFrom, &from, true}, {body.IssuanceDate, &from, true}, {body.ValidUntil, &until, false}, {body.ExpirationDate, &until, false}} {
		if d.s == "" {
			continue
		}
		t, err := parseDate(d.s)
		if err != nil {
			return out, nil, fail(CodeInvalidJWT, "%w", err)
		}
		if *d.dst == nil || (d.later && t.After(**d.dst)) || (!d.later && t.Before(**d.dst)) {
			*d.dst = &t
		}
	}
	out.ValidFrom, out.ValidUntil = from, until
	return out, p, nil
}

func timePtr(n *numericDate) *time.Time {
	if n == nil {
		return nil
	}
	t := n.Time
	return &t
}

// checkCredentialClaims checks that the JWT claims agree with the credential they carry.
func checkCredentialClaims(p *parsedCredential) error {
	c, body := &p.claims, &p.body
	issuer, _ := issuerID(body.Issuer)
	if c.Iss != "" && issuer != "" && c.Iss != issuer {
		return fail(CodeInvalidClaims, "iss %q is not the credential's issuer %q", trunc(c.Iss), trunc(issuer))
	}
	ids, _ := subjectIDs(body.CredentialSubject)
	if c.Sub != "" {
		for _, id := range ids {
			if id != "" && id != c.Sub {
				return fail(CodeInvalidClaims, "sub %q is not credentialSubject.id %q", trunc(c.Sub), trunc(id))
			}
		}
	}
	if c.Jti != "" && body.ID != "" && c.Jti != body.ID {
		return fail(CodeInvalidClaims, "jti %q is not the credential id %q", trunc(c.Jti), trunc(body.ID))
	}
	return nil
}
