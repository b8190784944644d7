package oid4vp

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/resolver"
)

// FormatSDJWT is the OpenID4VP credential format identifier of IETF SD-JWT VCs.
const FormatSDJWT = sdjwt.Format

// CodeClaimNotDisclosed: a claim the request asked for (DCQL claims) is not in the presented SD-JWT VC.
const CodeClaimNotDisclosed = "claim_not_disclosed"

// sdjwtAlgorithms are the JWS algorithms accepted for SD-JWT VCs and KB-JWTs (the sdjwt verifier's
// default).
var sdjwtAlgorithms = []string{credential.ES256K, credential.EdDSA, credential.ES256}

// checkFormat validates requested credential i's format extension (its claims are checked with the
// DCQL query they become: BuildDCQL).
func checkFormat(i int, rc exchange.RequestedCredential) error {
	switch rc.Format {
	case "", FormatJWTVC, FormatSDJWT:
		return nil
	}
	return exchange.BadField(fmt.Sprintf("requestedCredentials[%d].format", i), "format must be %s or %s", FormatJWTVC, FormatSDJWT)
}

// answerSDJWT verifies one SD-JWT+KB presented for query q: the sdjwt verifier checks the issuer's
// signature, the Disclosures, the KB-JWT (nonce = the request's nonce, aud = client_id), status and the
// trust policy, and logs the audit record under the request's id (issuer, vct, outcome; no claim). Then
// the query's vct, acceptedIssuers and claims are matched, and the verified credential is added to ev.
func (v *Verifier) answerSDJWT(ctx context.Context, r *exchange.Request, q dcql.CredentialQuery, rc exchange.RequestedCredential, vp string, ev *exchange.Event) *WalletError {
	if v.SDJWT == nil {
		return walletErr(CodeWrongType, "this verifier does not verify %s", FormatSDJWT)
	}
	sv, rec := v.SDJWT, (*tokenRevocations)(nil)
	if rc.Configuration.Validation.AllowRevoked && sv.Status != nil {
		rec = &tokenRevocations{inner: sv.Status}
		sv = withStatus(sv, rec)
	}
	res := sv.Verify(ctx, vp, sdjwt.Options{RequireKeyBinding: true, Audience: v.ClientID(), Nonce: r.Nonce, TransactionID: r.ID})
	if !res.Valid {
		return walletErr(string(res.Code), "%s", res.Detail)
	}
	if len(q.Meta.VCTValues) > 0 && !slices.Contains(q.Meta.VCTValues, res.VCT) {
		return walletErr(CodeWrongType, "vct %s is not %s", credential.Truncate(res.VCT), rc.Type)
	}
	if len(rc.AcceptedIssuers) > 0 && !slices.Contains(rc.AcceptedIssuers, res.Issuer) {
		return walletErr(CodeIssuer, "issuer %s is not accepted for %s", res.Issuer, rc.Type)
	}
	if werr := checkClaims(q, res.Claims); werr != nil {
		return werr
	}
	if res.KeyBinding != nil && res.KeyBinding.Holder != "" {
		holder, _ := resolver.SplitDIDURL(res.KeyBinding.Holder)
		if ev.Subject == "" {
			ev.Subject = holder
		} else if ev.Subject != holder {
			return walletErr(string(credential.CodeHolderMismatch), "presentations by different holders")
		}
	}
	state := "VALID"
	if rec.revoked(res.Status) {
		state = "REVOKED"
	}
	data := exchange.VerifiedCredentialData{
		Issuer: res.Issuer, Type: []string{res.VCT}, Claims: visibleClaims(res.Claims),
		CredentialState: exchange.CredentialState{RevocationStatus: state},
		IssuanceDate:    res.IssuedAt, ExpirationDate: res.ValidUntil,
	}
	for _, p := range res.Disclosed {
		data.Disclosed = append(data.Disclosed, []any(p))
	}
	ev.VerifiedCredentialsData = append(ev.VerifiedCredentialsData, data)
	return nil
}

// visibleClaims are the claims the holder showed: the always-visible ones and those disclosed, without
// the SD-JWT VC's own (iss, vct, cnf, status …: SD-JWT VC §3.2.2), which the callback reports in its
// other fields.
func visibleClaims(claims map[string]any) json.RawMessage {
	out := make(map[string]any, len(claims))
	for k, c := range claims {
		if !sdjwt.ReservedClaim(k) {
			out[k] = c
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return json.RawMessage("{}")
	}
	return b
}

// withStatus is v with another status checker. It copies v's settings field by field: a Verifier
// holds a cache (with its lock) that is not copied.
func withStatus(v *sdjwt.Verifier, s sdjwt.StatusChecker) *sdjwt.Verifier {
	return &sdjwt.Verifier{
		Resolver: v.Resolver, Fetcher: v.Fetcher, Status: s, IgnoreStatus: v.IgnoreStatus, Policy: v.Policy,
		ClockSkew: v.ClockSkew, KBMaxAge: v.KBMaxAge, Algorithms: v.Algorithms, Types: v.Types, Now: v.Now,
		Logger: v.Logger,
	}
}

// tokenRevocations passes token status list checks to inner, recording revoked entries instead of
// failing on them, for a request that allows revoked credentials (a suspended one still fails).
type tokenRevocations struct {
	inner sdjwt.StatusChecker
	set   revokedSet[sdjwt.StatusListRef]
}

func (t *tokenRevocations) CheckStatusList(ctx context.Context, issuer string, ref sdjwt.StatusListRef) error {
	return t.set.note(ref, t.inner.CheckStatusList(ctx, issuer, ref))
}

func (t *tokenRevocations) revoked(ref *sdjwt.StatusListRef) bool {
	return t != nil && ref != nil && t.set.any(func(e sdjwt.StatusListRef) bool { return e == *ref })
}
