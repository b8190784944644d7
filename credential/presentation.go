package credential

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ionode/ionode/resolver"
)

// maxPresentedCredentials bounds the credentials of one presentation we verify.
const maxPresentedCredentials = 32

// VerifyPresentation verifies a VP-JWT: the holder's signature with a key in the holder DID's
// authentication relationship, aud and nonce against opts, the validity period, and every credential
// it holds (each must be valid and, unless opts.AllowUnboundCredentials, about the holder). The
// result's Credentials are the credentials' own results; the presentation fails with the code of the
// first failing one.
func (v *Verifier) VerifyPresentation(ctx context.Context, jwt string, opts PresentationOptions) *Result {
	r := v.verifyPresentation(ctx, jwt, opts)
	r.log(ctx, v.logger())
	return r
}

func (v *Verifier) verifyPresentation(ctx context.Context, jwt string, opts PresentationOptions) *Result {
	txid := NewTransactionID()
	r := &Result{TransactionID: txid, Kind: "presentation", Checks: make([]Check, 0, 10)}
	tok, err := parseToken(strings.TrimSpace(jwt), v.algorithms())
	if err != nil {
		return r.fail(CheckJWT, err, CodeInvalidJWT)
	}
	var c jwtClaims
	if err := json.Unmarshal(tok.payload, &c); err != nil {
		return r.fail(CheckJWT, fail(CodeInvalidJWT, "claims: %w", err), CodeInvalidJWT)
	}
	if len(c.VP) == 0 {
		return r.fail(CheckJWT, fail(CodeInvalidJWT, "no vp claim"), CodeInvalidJWT)
	}
	var vp vpBody
	if err := json.Unmarshal(c.VP, &vp); err != nil {
		return r.fail(CheckJWT, fail(CodeInvalidJWT, "vp: %w", err), CodeInvalidJWT)
	}
	if !contains(vp.Type, "VerifiablePresentation") {
		return r.fail(CheckJWT, fail(CodeInvalidJWT, "vp type does not include VerifiablePresentation"), CodeInvalidJWT)
	}
	holder := c.Iss
	r.Presentation = &VerifiedPresentation{Holder: holder, Audience: c.Aud, Nonce: c.Nonce}
	if holder == "" {
		return r.fail(CheckJWT, fail(CodeInvalidJWT, "no iss"), CodeInvalidJWT)
	}
	r.pass(CheckJWT, "alg "+tok.header.Alg)
	if vp.Holder != "" && vp.Holder != holder {
		return r.fail(CheckClaims, fail(CodeInvalidClaims, "vp.holder %q is not iss %q", trunc(vp.Holder), trunc(holder)), CodeInvalidClaims)
	}
	r.pass(CheckClaims, "")

	_, kid, ok := v.checkSignature(ctx, r, tok, holder, resolver.Authentication)
	if !ok {
		return r
	}
	r.Presentation.KID = kid
	switch {
	case opts.Audience == "":
		return r.fail(CheckAudience, fail(CodeAudienceMismatch, "the verifier has no audience configured"), CodeAudienceMismatch)
	case !contains(c.Aud, opts.Audience):
		return r.fail(CheckAudience, fail(CodeAudienceMismatch, "aud %q does not include %q", c.Aud, trunc(opts.Audience)), CodeAudienceMismatch)
	}
	r.pass(CheckAudience, "")
	if opts.Nonce == "" {
		r.skip(CheckNonce, "no nonce requested")
	} else if c.Nonce != opts.Nonce {
		return r.fail(CheckNonce, fail(CodeNonceMismatch, "nonce does not match"), CodeNonceMismatch)
	} else {
		r.pass(CheckNonce, "")
	}
	if !v.checkValidity(r, timePtr(c.Nbf), timePtr(c.Exp)) {
		return r
	}

	if len(vp.VerifiableCredential) > maxPresentedCredentials {
		return r.fail(CheckContents, fail(CodeInvalidJWT, "more than %d credentials", maxPresentedCredentials), CodeInvalidJWT)
	}
	for i, raw := range vp.VerifiableCredential {
		var vcJWT string
		if err := json.Unmarshal(raw, &vcJWT); err != nil || !bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) {
			return r.fail(CheckContents, fail(CodeInvalidJWT, "credential %d is not a JWT string", i), CodeInvalidJWT)
		}
		cr := v.verifyCredential(ctx, vcJWT, fmt.Sprintf("%s.%d", txid, i))
		r.Credentials = append(r.Credentials, cr)
		if !cr.Valid {
			return r.fail(CheckContents, &Failure{Code: cr.Code, Detail: fmt.Sprintf("credential %d: %s", i, cr.Detail)}, cr.Code)
		}
		if !opts.AllowUnboundCredentials && cr.Credential.Subject != holder {
			return r.fail(CheckHolder, fail(CodeHolderMismatch, "credential %d is about %q, not the holder", i, trunc(cr.Credential.Subject)), CodeHolderMismatch)
		}
	}
	r.pass(CheckContents, fmt.Sprintf("%d credentials", len(vp.VerifiableCredential)))
	r.Valid = true
	return r
}
