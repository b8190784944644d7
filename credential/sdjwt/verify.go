package sdjwt

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/resolver"
)

// StatusChecker checks a credential's status list entry (credential/status/tokenstatus). It returns
// nil when the status is valid, a *credential.Failure with credential.CodeRevoked, CodeSuspended,
// CodeStatusListExpired or credential.CodeStatusUnavailable otherwise.
type StatusChecker interface {
	CheckStatusList(ctx context.Context, issuer string, ref StatusListRef) error
}

// Verifier verifies SD-JWT VCs and their presentations. Set Resolver (and Fetcher for issuers
// identified by an https URL); the other fields are optional. A Verifier is safe for concurrent use.
type Verifier struct {
	Resolver credential.DIDResolver
	// Fetcher fetches JWT VC issuer metadata and type metadata; nil refuses https issuers and skips
	// type metadata.
	Fetcher Fetcher
	// Status checks status.status_list; when nil, a credential with a status fails with
	// status_unavailable unless IgnoreStatus is set.
	Status       StatusChecker
	IgnoreStatus bool
	// Policy decides which issuers are trusted for which vct; nil trusts every issuer whose signature
	// verifies.
	Policy credential.Policy
	// ClockSkew is tolerated on iat, nbf and exp; default 1 minute, negative none.
	ClockSkew time.Duration
	// KBMaxAge is how old a KB-JWT's iat may be; default 5 minutes.
	KBMaxAge time.Duration
	// Algorithms accepted for the issuer's and holder's JWS; default ES256K, EdDSA, ES256.
	Algorithms []string
	// Types are the typ values accepted for the Issuer-signed JWT; default dc+sd-jwt and vc+sd-jwt. A
	// plain SD-JWT (RFC 9901 without the VC profile) is verified by listing its typ here; vct is then
	// not required.
	Types  []string
	Now    func() time.Time
	Logger *slog.Logger // audit log; default discards

	docs docCache
}

// Options bind a verification to the verifier's request.
type Options struct {
	// RequireKeyBinding refuses a presentation without a KB-JWT (key_binding_required).
	RequireKeyBinding bool
	// Audience is this verifier's identifier; a KB-JWT's aud must equal it. Required when a KB-JWT is
	// present.
	Audience string
	// Nonce is the challenge given to the holder; a KB-JWT's nonce must equal it. Required when a
	// KB-JWT is present.
	Nonce string
	// VCT, when set, are the credential types the verifier accepts.
	VCT []string
	// TransactionID names the verification in the result and the audit log; default random.
	TransactionID string
}

// Result is the outcome of verifying an SD-JWT: every check performed, in order, and on failure the
// stable Code of the failing one. Fields are filled as far as verification got; trust them only when
// Valid.
type Result struct {
	TransactionID string             `json:"transactionId"`
	Valid         bool               `json:"valid"`
	Code          credential.Code    `json:"code,omitempty"`
	Detail        string             `json:"detail,omitempty"`
	Checks        []credential.Check `json:"checks"`

	Issuer     string     `json:"issuer,omitempty"`
	VCT        string     `json:"vct,omitempty"`
	KID        string     `json:"kid,omitempty"`
	IssuedAt   *time.Time `json:"issuedAt,omitempty"`
	ValidFrom  *time.Time `json:"validFrom,omitempty"`
	ValidUntil *time.Time `json:"validUntil,omitempty"`
	// Claims is the processed payload: the always-visible claims and the disclosed ones, without _sd,
	// _sd_alg and decoys.
	Claims map[string]any `json:"claims,omitempty"`
	// Disclosed are the paths of the claims the presentation disclosed, in Disclosure order.
	Disclosed []Path         `json:"disclosed,omitempty"`
	Status    *StatusListRef `json:"status,omitempty"`
	// KeyBinding is set when a KB-JWT was verified.
	KeyBinding *KeyBindingResult `json:"keyBinding,omitempty"`
}

// KeyBindingResult is what a verified KB-JWT said.
type KeyBindingResult struct {
	Audience string    `json:"audience"`
	Nonce    string    `json:"nonce"`
	IssuedAt time.Time `json:"issuedAt"`
	// Holder is cnf.kid (a DID URL) when the credential is bound to a DID, else "".
	Holder string `json:"holder,omitempty"`
}

// Err returns nil for a valid result, else a *credential.Failure with the result's code.
func (r *Result) Err() error {
	if r.Valid {
		return nil
	}
	return &credential.Failure{Code: r.Code, Detail: r.Detail}
}

func (r *Result) pass(name, detail string) {
	r.Checks = append(r.Checks, credential.Check{Name: name, Outcome: credential.Pass, Detail: detail})
}

func (r *Result) skip(name, detail string) {
	r.Checks = append(r.Checks, credential.Check{Name: name, Outcome: credential.Skip, Detail: detail})
}

func (r *Result) fail(name string, err error, code credential.Code) *Result {
	if c := credential.CodeOf(err); c != "" {
		code = c
	}
	r.Checks = append(r.Checks, credential.Check{Name: name, Outcome: credential.Fail, Detail: err.Error()})
	r.Valid, r.Code, r.Detail = false, code, err.Error()
	return r
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) skew() time.Duration { return credential.EffectiveSkew(v.ClockSkew) }

// payloadClaims are the registered claims read from the Issuer-signed JWT.
type payloadClaims struct {
	Iss    string                  `json:"iss"`
	VCT    string                  `json:"vct"`
	SDAlg  *string                 `json:"_sd_alg"`
	Iat    *credential.NumericDate `json:"iat"`
	Nbf    *credential.NumericDate `json:"nbf"`
	Exp    *credential.NumericDate `json:"exp"`
	Cnf    json.RawMessage         `json:"cnf"`
	Status *struct {
		StatusList *StatusListRef `json:"status_list"`
	} `json:"status"`
}

// Verify verifies an SD-JWT (as issued) or SD-JWT+KB (as presented) and logs the audit record: the
// transaction id, issuer, vct, outcome and checks, never a claim.
func (v *Verifier) Verify(ctx context.Context, raw string, opts Options) *Result {
	txid := opts.TransactionID
	if txid == "" {
		txid = credential.NewTransactionID()
	}
	r := &Result{TransactionID: txid, Checks: make([]credential.Check, 0, 12)}
	v.verify(ctx, r, raw, opts)
	v.log(ctx, r)
	return r
}

func (v *Verifier) verify(ctx context.Context, r *Result, raw string, opts Options) {
	s, err := Parse(raw)
	if err != nil {
		r.fail(credential.CheckJWT, err, credential.CodeInvalidJWT)
		return
	}
	tok, err := credential.ParseJWS(s.JWT, v.Algorithms)
	if err != nil {
		r.fail(credential.CheckJWT, err, credential.CodeInvalidJWT)
		return
	}
	types := v.Types
	if len(types) == 0 {
		types = []string{TypVC, TypVCLegacy}
	}
	h := tok.Header()
	if !slices.Contains(types, h.Typ) {
		r.fail(credential.CheckJWT, fail(credential.CodeInvalidJWT, "typ %q is not one of %v", credential.Truncate(h.Typ), types), credential.CodeInvalidJWT)
		return
	}
	var payload map[string]any
	var pc payloadClaims
	if err := decodeJSON(tok.Payload(), &payload); err != nil {
		r.fail(credential.CheckJWT, fail(credential.CodeInvalidJWT, "payload: %v", err), credential.CodeInvalidJWT)
		return
	}
	if err := json.Unmarshal(tok.Payload(), &pc); err != nil {
		r.fail(credential.CheckJWT, fail(credential.CodeInvalidJWT, "payload claims: %v", err), credential.CodeInvalidJWT)
		return
	}
	r.Issuer, r.VCT, r.KID = pc.Iss, pc.VCT, h.Kid
	if pc.Iss == "" {
		r.fail(credential.CheckJWT, fail(credential.CodeInvalidJWT, "no iss"), credential.CodeInvalidJWT)
		return
	}
	isVC := h.Typ == TypVC || h.Typ == TypVCLegacy
	if isVC && pc.VCT == "" {
		r.fail(CheckType, fail(CodeInvalidType, "no vct"), CodeInvalidType)
		return
	}
	r.pass(credential.CheckJWT, fmt.Sprintf("%s, alg %s, %d disclosures", h.Typ, h.Alg, len(s.Disclosures)))
	if pc.SDAlg != nil && *pc.SDAlg != HashAlg {
		r.fail(CheckDisclosures, fail(CodeUnsupportedSDAlg, "_sd_alg %q is not %s", credential.Truncate(*pc.SDAlg), HashAlg), CodeUnsupportedSDAlg)
		return
	}

	// The issuer's key: through its DID, or its JWT VC issuer metadata.
	pub, issuerRes, err := v.issuerKey(ctx, pc.Iss, h.Kid)
	if issuerRes != nil {
		r.pass(credential.CheckResolution, "")
	}
	if err != nil {
		name := credential.CheckKey
		if credential.CodeOf(err) == credential.CodeUnresolvableIssuer {
			name = credential.CheckResolution
		}
		r.fail(name, err, credential.CodeKeyNotAuthorized)
		return
	}
	r.pass(credential.CheckKey, credential.Truncate(h.Kid))
	if err := tok.Verify(pub); err != nil {
		r.fail(credential.CheckSignature, err, credential.CodeInvalidSignature)
		return
	}
	r.pass(credential.CheckSignature, h.Alg)

	p, err := process(payload, s.Disclosures)
	if err != nil {
		r.fail(CheckDisclosures, err, CodeInvalidDisclosure)
		return
	}
	r.Claims = p.claims
	r.Disclosed = p.paths
	r.pass(CheckDisclosures, fmt.Sprintf("%d disclosed", len(p.paths)))

	if !v.checkValidity(r, &pc) {
		return
	}
	if !v.checkKeyBinding(ctx, r, s, &pc, opts) {
		return
	}
	if !v.checkType(ctx, r, isVC, opts) {
		return
	}
	if !v.checkStatus(ctx, r, &pc) {
		return
	}
	if v.Policy == nil {
		r.skip(credential.CheckTrust, "no trust policy")
	} else {
		checks, err := v.Policy.Evaluate(ctx, issuerRes, []string{pc.VCT})
		r.Checks = append(r.Checks, checks...)
		if err != nil {
			r.fail(credential.CheckTrust, err, credential.CodeUntrustedIssuer)
			return
		}
		r.pass(credential.CheckTrust, "")
	}
	r.Valid = true
}

// IssuerKey finds the key kid names for issuer iss: through the DID resolver (the key in
// assertionMethod) for a DID, through JWT VC issuer metadata for an https URL. Status list tokens are
// verified with it too. A failure is a *credential.Failure (unresolvable_issuer, key_not_authorized,
// unsupported_alg).
func (v *Verifier) IssuerKey(ctx context.Context, iss, kid string) (crypto.PublicKey, error) {
	pub, _, err := v.issuerKey(ctx, iss, kid)
	return pub, err
}

// issuerKey also returns the issuer as the trust policy sees it (its DID resolution, or a document
// with only the URL as id), nil when resolution failed.
func (v *Verifier) issuerKey(ctx context.Context, iss, kid string) (crypto.PublicKey, *resolver.Result, error) {
	if strings.HasPrefix(iss, "did:") {
		if v.Resolver == nil {
			return nil, nil, fail(credential.CodeUnresolvableIssuer, "no DID resolver configured")
		}
		return credential.ResolveKey(ctx, v.Resolver, iss, kid, resolver.AssertionMethod)
	}
	pub, err := v.urlIssuerKey(ctx, iss, kid)
	if err != nil {
		return nil, nil, err
	}
	return pub, &resolver.Result{Document: &resolver.Document{ID: iss}}, nil
}

func (v *Verifier) checkValidity(r *Result, pc *payloadClaims) bool {
	now := v.now()
	r.IssuedAt, r.ValidFrom, r.ValidUntil = timePtr(pc.Iat), timePtr(pc.Nbf), timePtr(pc.Exp)
	switch {
	case pc.Iat != nil && now.Add(v.skew()).Before(pc.Iat.Time):
		r.fail(credential.CheckValidity, fail(credential.CodeNotYetValid, "issued in the future, at %s", pc.Iat.Format(time.RFC3339)), credential.CodeNotYetValid)
		return false
	case pc.Nbf != nil && now.Add(v.skew()).Before(pc.Nbf.Time):
		r.fail(credential.CheckValidity, fail(credential.CodeNotYetValid, "valid from %s", pc.Nbf.Format(time.RFC3339)), credential.CodeNotYetValid)
		return false
	case pc.Exp != nil && now.Add(-v.skew()).After(pc.Exp.Time):
		r.fail(credential.CheckValidity, fail(credential.CodeExpired, "expired at %s", pc.Exp.Format(time.RFC3339)), credential.CodeExpired)
		return false
	}
	r.pass(credential.CheckValidity, "")
	return true
}

func (v *Verifier) checkStatus(ctx context.Context, r *Result, pc *payloadClaims) bool {
	if pc.Status == nil || pc.Status.StatusList == nil {
		r.skip(credential.CheckStatus, "no status")
		return true
	}
	ref := *pc.Status.StatusList
	r.Status = &ref
	switch {
	case v.IgnoreStatus:
		r.skip(credential.CheckStatus, "status not checked")
		return true
	case v.Status == nil:
		r.fail(credential.CheckStatus, fail(credential.CodeStatusUnavailable, "no status checker configured"), credential.CodeStatusUnavailable)
		return false
	}
	if err := v.Status.CheckStatusList(ctx, pc.Iss, ref); err != nil {
		r.fail(credential.CheckStatus, err, credential.CodeStatusUnavailable)
		return false
	}
	r.pass(credential.CheckStatus, "status_list")
	return true
}

func (v *Verifier) log(ctx context.Context, r *Result) {
	logger := v.Logger
	if logger == nil || !logger.Enabled(ctx, slog.LevelInfo) {
		return
	}
	attrs := []any{"transactionId", r.TransactionID, "kind", "sd-jwt", "valid", r.Valid, "issuer", r.Issuer, "vct", r.VCT, "disclosures", len(r.Disclosed)}
	if r.Code != "" {
		attrs = append(attrs, "code", r.Code, "detail", r.Detail)
	}
	checks := make([]any, 0, len(r.Checks))
	for i, c := range r.Checks {
		checks = append(checks, slog.String(fmt.Sprintf("%d.%s", i, c.Name), c.Outcome))
	}
	attrs = append(attrs, slog.Group("checks", checks...))
	msg := "verification passed"
	if !r.Valid {
		msg = "verification failed"
	}
	logger.InfoContext(ctx, msg, attrs...)
}

func timePtr(n *credential.NumericDate) *time.Time {
	if n == nil {
		return nil
	}
	t := n.Time
	return &t
}
