package oid4vp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/exchange/presex"
)

// ClientIDPrefix marks a client_id that is the verifier's DID (OpenID4VP 1.0 §5.9.3).
const ClientIDPrefix = "decentralized_identifier:"

// RequestObjectType is the typ of signed request objects (RFC 9101).
const RequestObjectType = "oauth-authz-req+jwt"

// Verifier runs presentation requests. Requests, Dispatcher, Credentials, Signer and BaseURL are
// required.
type Verifier struct {
	Requests   *exchange.Requests
	Dispatcher *exchange.Dispatcher
	// Credentials verifies the presentations; its Status and Policy apply to every request.
	Credentials *credential.Verifier
	// SDJWT verifies dc+sd-jwt presentations (optional: without it they cannot be requested).
	SDJWT *sdjwt.Verifier
	// Signer is the node's verifier DID key (in the DID's authentication or assertionMethod): it signs
	// request objects, and its DID is the client_id.
	Signer *credential.Signer
	// BaseURL is the node's public URL, e.g. https://node.example.com: request_uri and response_uri
	// are under it.
	BaseURL string
	// Scheme of the wallet URL; default "openid4vp".
	Scheme string
	// Links verifies issuers' linked domains (credential/linkeddomains.Verifier): domainValidation in
	// callbacks, and validateLinkedDomain. Nil verifies none, and refuses requests that require it.
	Links LinkVerifier
}

// spec is what a presentation request stores: the relying party's request and how the wallet is
// asked: the DCQL query or, for draft-era wallets, a presentation definition.
type spec struct {
	Request    exchange.PresentationRequest `json:"request"`
	DCQL       dcql.Query                   `json:"dcql"`
	Definition *presex.Definition           `json:"presentationDefinition,omitempty"`
	// EncKey is the private key of a direct_post.jwt request (exchange/jwe).
	EncKey json.RawMessage `json:"enc_key,omitempty"`
}

// ClientID is the verifier's client_id.
func (v *Verifier) ClientID() string { return ClientIDPrefix + v.Signer.DID() }

func (v *Verifier) requestURI(id string) string {
	return v.BaseURL + exchange.APIPrefix + "/oid4vp/" + url.PathEscape(id) + "/request"
}

func (v *Verifier) responseURI(id string) string {
	return v.BaseURL + exchange.APIPrefix + "/oid4vp/" + url.PathEscape(id) + "/response"
}

// Create stores a presentation request and returns the Request Service API's answer.
func (v *Verifier) Create(ctx context.Context, pr exchange.PresentationRequest) (*exchange.CreateResponse, error) {
	if pr.Registration.ClientName == "" || len(pr.Registration.ClientName) > 256 {
		return nil, exchange.BadField("registration.clientName", "a name of 1-256 characters is required")
	}
	if pr.Authority != "" && pr.Authority != v.Signer.DID() {
		return nil, exchange.BadField("authority", "this node verifies as %s", v.Signer.DID())
	}
	if err := checkExtensions(&pr); err != nil {
		return nil, err
	}
	if err := v.checkLinksAvailable(pr.RequestedCredentials); err != nil {
		return nil, err
	}
	if v.SDJWT == nil && slices.ContainsFunc(pr.RequestedCredentials, func(rc exchange.RequestedCredential) bool { return rc.Format == FormatSDJWT }) {
		return nil, exchange.BadField("requestedCredentials.format", "this node does not verify %s", FormatSDJWT)
	}
	if err := v.Dispatcher.CheckCallback(pr.Callback); err != nil {
		return nil, err
	}
	sp, err := newSpec(pr)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(sp)
	if err != nil {
		return nil, fmt.Errorf("presentation request: %w", err)
	}
	r, err := v.Requests.Create(ctx, exchange.KindPresentation, pr.Callback, data)
	if err != nil {
		return nil, err
	}
	scheme := v.Scheme
	if scheme == "" {
		scheme = "openid4vp"
	}
	q := url.Values{"client_id": {sp.clientID(v)}, "request_uri": {v.requestURI(r.ID)}}
	resp := &exchange.CreateResponse{RequestID: r.ID, URL: scheme + "://?" + q.Encode(), Expiry: r.Expires.Unix()}
	if pr.IncludeQRCode {
		if resp.QRCode, err = exchange.QRDataURI(resp.URL); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

// Failure codes of the wallet-facing endpoints, beside the credential package's verification codes.
const (
	CodeUnknownRequest = "request_not_found"    // no such request, or past its retention
	CodeExpired        = "request_expired"      // the wallet came after the request's expiry
	CodeUsed           = "request_already_used" // the request was answered (or fetched) already: a replay
	CodeMalformed      = "invalid_response"     // the response does not parse
	CodeUnanswered     = "credential_missing"   // a requested credential is not in the vp_token
	CodeWrongType      = "credential_type_mismatch"
	CodeIssuer         = "issuer_not_accepted" // issuer outside the request's acceptedIssuers
)

// WalletError is a refusal of the wallet's request, with a stable Code.
type WalletError struct {
	Code   string
	Detail string
}

func (e *WalletError) Error() string { return e.Code + ": " + e.Detail }

func walletErr(code, format string, args ...any) *WalletError {
	return &WalletError{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// load reads a live request for the wallet.
func (v *Verifier) load(ctx context.Context, id string) (*exchange.Request, *spec, error) {
	r, err := v.Requests.Get(ctx, exchange.KindPresentation, id)
	if errors.Is(err, exchange.ErrNotFound) {
		return nil, nil, walletErr(CodeUnknownRequest, "no such request")
	}
	if err != nil {
		return nil, nil, err
	}
	var s spec
	if err := json.Unmarshal(r.Spec, &s); err != nil {
		return nil, nil, fmt.Errorf("request %s: %w", id, err)
	}
	return r, &s, nil
}

// RequestObject returns the signed request object for the wallet and moves the request to retrieved
// (notifying the relying party). A request fetched twice, after its response or after expiry is refused.
func (v *Verifier) RequestObject(ctx context.Context, id string) (string, error) {
	r, s, err := v.load(ctx, id)
	if err != nil {
		return "", err
	}
	if r.Expired(v.Requests.Time()) {
		return "", walletErr(CodeExpired, "the request expired at %s", r.Expires.UTC().Format(time.RFC3339))
	}
	ev := exchange.Event{RequestID: r.ID, RequestStatus: exchange.StatusRetrieved, State: callbackState(r)}
	body, _ := json.Marshal(ev)
	if err := v.Requests.Move(ctx, r, exchange.StatusRetrieved, body); err != nil {
		if errors.Is(err, exchange.ErrBadTransition) || errors.Is(err, exchange.ErrConflict) {
			return "", walletErr(CodeUsed, "the request was already retrieved")
		}
		return "", err
	}
	// iss is the bare DID that signs (the kid's DID): wallets built on @openid4vc/openid4vp (Credo)
	// refuse a request object whose kid does not start with iss, so the prefixed client_id cannot be it.
	claims := s.requestClaims(v, map[string]any{
		"iss": v.Signer.DID(), "aud": "https://self-issued.me/v2",
		"client_id": v.ClientID(), "response_type": "vp_token", "response_mode": "direct_post",
		"response_uri": v.responseURI(r.ID), "nonce": r.Nonce, "state": r.ID,
		"dcql_query": s.DCQL, "iat": r.Created.Unix(), "exp": r.Expires.Unix(),
		"client_metadata": map[string]any{
			"client_name": s.Request.Registration.ClientName,
			"vp_formats_supported": map[string]any{
				FormatJWTVC: map[string]any{"alg_values": algorithms},
				FormatSDJWT: map[string]any{"sd-jwt_alg_values": sdjwtAlgorithms, "kb-jwt_alg_values": sdjwtAlgorithms},
			},
		},
	})
	if err := s.extendRequestObject(claims); err != nil {
		return "", fmt.Errorf("request object: %w", err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("request object: %w", err)
	}
	jwt, err := v.Signer.Sign(payload, RequestObjectType)
	if err != nil {
		return "", fmt.Errorf("sign request object: %w", err)
	}
	v.Dispatcher.Send(r.Callback, ev)
	return jwt, nil
}

func callbackState(r *exchange.Request) string {
	if r.Callback != nil {
		return r.Callback.State
	}
	return ""
}

// Response is a wallet's direct_post body.
type Response struct {
	VPToken string
	State   string
	IDToken string
	// Encrypted is the JWE of a direct_post.jwt response (its "response" parameter).
	Encrypted string
	// PresentationSubmission answers a presentation definition (draft-era requests).
	PresentationSubmission string
}

// Respond verifies a wallet's response to request id. On success the relying party receives
// presentation_verified; on failure presentation_error, and the returned *WalletError says why. Either
// way the request is used up.
func (v *Verifier) Respond(ctx context.Context, id string, resp Response) (*exchange.Event, error) {
	r, s, err := v.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status != exchange.StatusRetrieved {
		return nil, walletErr(CodeUsed, "request is %s", r.Status)
	}
	ev, werr := v.verify(ctx, r, s, resp)
	if werr != nil {
		ev = &exchange.Event{RequestID: r.ID, RequestStatus: exchange.StatusPresentationError,
			Error: &exchange.CallbackError{Code: werr.Code, Message: werr.Detail}}
	}
	ev.State = callbackState(r)
	body, _ := json.Marshal(ev)
	if err := v.Requests.Move(ctx, r, ev.RequestStatus, body); err != nil {
		if errors.Is(err, exchange.ErrBadTransition) || errors.Is(err, exchange.ErrConflict) {
			return nil, walletErr(CodeUsed, "the request was answered concurrently")
		}
		return nil, err
	}
	v.Dispatcher.Send(r.Callback, *ev)
	if werr != nil {
		return ev, werr
	}
	return ev, nil
}

func (v *Verifier) verify(ctx context.Context, r *exchange.Request, s *spec, resp Response) (*exchange.Event, *WalletError) {
	if r.Expired(v.Requests.Time()) {
		return nil, walletErr(CodeExpired, "the request expired at %s", r.Expires.UTC().Format(time.RFC3339))
	}
	resp, werr := s.open(resp)
	if werr != nil {
		return nil, werr
	}
	if resp.State != r.ID {
		return nil, walletErr(CodeMalformed, "state does not name this request")
	}
	var token map[string][]string
	if s.wantsVP() && s.Definition == nil {
		var err error
		if token, err = ParseVPToken(resp.VPToken); err != nil {
			return nil, walletErr(CodeMalformed, "%v", err)
		}
	} else if !s.wantsVP() && resp.VPToken != "" {
		return nil, walletErr(CodeResponseMode, "the request asked for no vp_token")
	}
	// allowRevoked is per requested credential: revocations are recorded rather than refused here and
	// judged per query below.
	allowAnyRevoked := slices.ContainsFunc(s.Request.RequestedCredentials, func(rc exchange.RequestedCredential) bool {
		return rc.Configuration.Validation.AllowRevoked
	})
	cv := *v.Credentials
	rec := &revocations{}
	if allowAnyRevoked && cv.Status != nil {
		rec.inner = cv.Status
		cv.Status = rec
	}
	ev := &exchange.Event{RequestID: r.ID, RequestStatus: exchange.StatusPresentationVerified}
	check := func(vp string) (*credential.Result, *WalletError) {
		res := cv.VerifyPresentation(ctx, vp, credential.PresentationOptions{Audience: s.clientID(v), Nonce: r.Nonce})
		if !res.Valid {
			return nil, walletErr(string(res.Code), "%s", res.Detail)
		}
		if ev.Subject == "" {
			ev.Subject = res.Presentation.Holder
		} else if ev.Subject != res.Presentation.Holder {
			return nil, walletErr(string(credential.CodeHolderMismatch), "presentations by different holders")
		}
		return res, nil
	}
	if s.Definition != nil {
		if werr := v.verifySubmission(ctx, s, resp, check, rec, ev); werr != nil {
			return nil, werr
		}
		if werr := v.checkIDToken(ctx, r, s, resp, ev); werr != nil {
			return nil, werr
		}
		return ev, nil
	}
	// Every key of the vp_token must name a credential query (OpenID4VP 1.0 §8.1): a presentation for
	// none would otherwise be neither checked nor reported. Sorted, so the error names the same one.
	for _, id := range slices.Sorted(maps.Keys(token)) {
		if !slices.ContainsFunc(s.DCQL.Credentials, func(q dcql.CredentialQuery) bool { return q.ID == id }) {
			return nil, walletErr(CodeMalformed, "vp_token answers %q, which names no credential query of the request", id)
		}
	}
	answered := make(map[string]bool, len(s.DCQL.Credentials))
	for i, q := range s.DCQL.Credentials {
		rc := s.Request.RequestedCredentials[i]
		vps := token[q.ID]
		if len(vps) == 0 {
			continue // whether it was needed is the credential sets' to say (checkAnswered)
		}
		if len(vps) > 1 && !q.Multiple {
			return nil, walletErr(CodeMultiple, "%d presentations for %s, which asks for one", len(vps), q.ID)
		}
		answered[q.ID] = true
		for _, vp := range vps {
			if q.Format == FormatSDJWT {
				if werr := v.answerSDJWT(ctx, r, q, rc, vp, ev); werr != nil {
					return nil, werr
				}
				continue
			}
			res, werr := check(vp)
			if werr != nil {
				return nil, werr
			}
			if len(res.Credentials) == 0 {
				return nil, walletErr(CodeUnanswered, "presentation for %s holds no credential", q.ID)
			}
			if len(res.Credentials) > 1 && !q.Multiple {
				return nil, walletErr(CodeMultiple, "%d credentials for %s, which asks for one", len(res.Credentials), q.ID)
			}
			for _, cr := range res.Credentials {
				data, werr := matchCredential(q, rc, cr.Credential, rec)
				if werr != nil {
					return nil, werr
				}
				if werr := v.validateDomain(ctx, rc, cr.Credential.IssuerResolution, &data); werr != nil {
					return nil, werr
				}
				ev.VerifiedCredentialsData = append(ev.VerifiedCredentialsData, data)
			}
		}
	}
	if werr := checkAnswered(&s.DCQL, answered); werr != nil {
		return nil, werr
	}
	if werr := v.checkIDToken(ctx, r, s, resp, ev); werr != nil {
		return nil, werr
	}
	return ev, nil
}

func matchCredential(q dcql.CredentialQuery, rc exchange.RequestedCredential, vc *credential.VerifiedCredential, rec *revocations) (exchange.VerifiedCredentialData, *WalletError) {
	if !q.Meta.MatchTypes(vc.Types) {
		return exchange.VerifiedCredentialData{}, walletErr(CodeWrongType, "credential types %v do not include %s", vc.Types, rc.Type)
	}
	if len(rc.AcceptedIssuers) > 0 && !slices.Contains(rc.AcceptedIssuers, vc.Issuer) {
		return exchange.VerifiedCredentialData{}, walletErr(CodeIssuer, "issuer %s is not accepted for %s", vc.Issuer, rc.Type)
	}
	if len(q.Claims) > 0 {
		claims, err := verifiedClaims(vc)
		if err != nil {
			return exchange.VerifiedCredentialData{}, walletErr(CodeMalformed, "credential for %s: %v", q.ID, err)
		}
		if werr := checkClaims(q, claims); werr != nil {
			return exchange.VerifiedCredentialData{}, werr
		}
	}
	state := "VALID"
	if rec.revoked(vc) {
		if !rc.Configuration.Validation.AllowRevoked {
			return exchange.VerifiedCredentialData{}, walletErr(string(credential.CodeRevoked), "the %s credential is revoked", rc.Type)
		}
		state = "REVOKED"
	}
	claims := subjectClaims(vc.Claims)
	return exchange.VerifiedCredentialData{
		Issuer: vc.Issuer, Type: vc.Types, Claims: claims,
		CredentialState: exchange.CredentialState{RevocationStatus: state},
		IssuanceDate:    vc.ValidFrom, ExpirationDate: vc.ValidUntil,
	}, nil
}

// subjectClaims returns credentialSubject without its id, as the callbacks' claims.
func subjectClaims(vc json.RawMessage) json.RawMessage {
	var c struct {
		Subject map[string]json.RawMessage `json:"credentialSubject"`
	}
	if json.Unmarshal(vc, &c) != nil || c.Subject == nil {
		return json.RawMessage("{}")
	}
	delete(c.Subject, "id")
	out, err := json.Marshal(c.Subject)
	if err != nil {
		return json.RawMessage("{}")
	}
	return out
}

// revocations passes status checks to inner, recording revoked entries instead of failing on them so
// that a request allowing revoked credentials can report them.
type revocations struct {
	inner credential.StatusChecker
	set   revokedSet[credential.Status]
}

func (r *revocations) CheckStatus(ctx context.Context, issuer string, entry credential.Status) error {
	return r.set.note(entry, r.inner.CheckStatus(ctx, issuer, entry))
}

func (r *revocations) revoked(vc *credential.VerifiedCredential) bool {
	return r.set.any(func(e credential.Status) bool { return slices.Contains(vc.Status, e) })
}
