package oid4vp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/exchange/jwe"
	"github.com/ionode/ionode/exchange/siop"
	"github.com/ionode/ionode/internal/jsonlimit"
)

// Response modes and response types a request may ask for through the createPresentationRequest
// extension field "ionode" (exchange.PresentationExtensions).
const (
	ModeDirectPost     = "direct_post"
	ModeDirectPostJWT  = "direct_post.jwt"
	TypeVPToken        = "vp_token"
	TypeVPTokenIDToken = "vp_token id_token"
	TypeIDToken        = "id_token"
)

// Failure codes of encrypted responses and ID Tokens, beside exchange/siop's id_token_* codes.
const (
	// CodeResponseMode: the response came in the clear where the request asked for direct_post.jwt,
	// or encrypted (or with an id_token, or a vp_token) where the request did not ask for it.
	CodeResponseMode = "response_mode_mismatch"
	// CodeDecryption: the encrypted response is malformed, uses an algorithm not offered, is for
	// another key or does not decrypt (tampered).
	CodeDecryption = "response_decryption_failed"
	// CodeIDTokenMissing: the request asked for an id_token and the response has none.
	CodeIDTokenMissing = "id_token_missing"
	// CodeSubjectMismatch: the id_token's subject is not the holder of the presentations.
	CodeSubjectMismatch = "id_token_subject_mismatch"
)

// subjectSyntaxTypes are the DID methods a self-issued ID Token's subject may use: those the node
// resolves.
var subjectSyntaxTypes = []string{"did:ion", "did:web", "did:key", "did:jwk"}

func (s *spec) mode() string {
	if e := s.Request.Extensions; e != nil && e.ResponseMode != "" {
		return e.ResponseMode
	}
	return ModeDirectPost
}

func (s *spec) responseType() string {
	if e := s.Request.Extensions; e != nil && e.ResponseType != "" {
		return e.ResponseType
	}
	return TypeVPToken
}

func (s *spec) wantsVP() bool      { return s.responseType() != TypeIDToken }
func (s *spec) wantsIDToken() bool { return s.responseType() != TypeVPToken }

// checkExtensions validates the extension field and the requested credentials it implies.
func checkExtensions(pr *exchange.PresentationRequest) error {
	s := spec{Request: *pr}
	switch s.mode() {
	case ModeDirectPost, ModeDirectPostJWT:
	default:
		return exchange.BadField("ionode.responseMode", "want %s or %s", ModeDirectPost, ModeDirectPostJWT)
	}
	switch s.responseType() {
	case TypeVPToken, TypeVPTokenIDToken:
		return checkRequested(pr.RequestedCredentials)
	case TypeIDToken:
		if len(pr.RequestedCredentials) > 0 {
			return exchange.BadField("requestedCredentials", "a request for an id_token alone asks for no credentials")
		}
		return nil
	}
	return exchange.BadField("ionode.responseType", "want %q, %q or %q", TypeVPToken, TypeVPTokenIDToken, TypeIDToken)
}

// newSpec builds what a request stores: the DCQL query when presentations are asked for, and a fresh
// encryption key for direct_post.jwt (in the record, so every replica can decrypt the response).
func newSpec(pr exchange.PresentationRequest) (*spec, error) {
	s := &spec{Request: pr}
	pe, err := usesDefinition(pr)
	switch {
	case err != nil:
		return nil, err
	case pe && !s.wantsVP():
		return nil, exchange.BadField("ionode.query", "a presentation definition asks for presentations; responseType %q asks for none", s.responseType())
	case pe:
		if s.Definition, err = buildDefinition(pr); err != nil {
			return nil, err
		}
	case s.wantsVP():
		var sets []dcql.CredentialSet
		if pr.Extensions != nil {
			sets = pr.Extensions.CredentialSets
		}
		if s.DCQL, err = BuildDCQL(pr.RequestedCredentials, sets); err != nil {
			return nil, err
		}
	}
	if s.mode() == ModeDirectPostJWT {
		key, err := jwe.NewKey()
		if err != nil {
			return nil, err
		}
		if s.EncKey, err = json.Marshal(key); err != nil {
			return nil, fmt.Errorf("encryption key: %w", err)
		}
	}
	return s, nil
}

// extendRequestObject sets the request object's response type and mode, and what they need: SIOPv2's
// scope and subject syntax types, the encryption key and algorithms.
func (s *spec) extendRequestObject(claims map[string]any) error {
	claims["response_type"], claims["response_mode"] = s.responseType(), s.mode()
	meta := claims["client_metadata"].(map[string]any)
	if !s.wantsVP() {
		delete(claims, "dcql_query")
		delete(meta, "vp_formats_supported")
	}
	if s.wantsIDToken() {
		claims["scope"], claims["id_token_type"] = "openid", "subject_signed"
		meta["subject_syntax_types_supported"] = subjectSyntaxTypes
	}
	if s.mode() == ModeDirectPostJWT {
		key, err := jwe.ParseKey(s.EncKey)
		if err != nil {
			return err
		}
		meta["jwks"] = key.JWKS()
		meta["encrypted_response_enc_values_supported"] = jwe.DefaultEncs
		// Draft-era wallets read the algorithms from these two; OpenID4VP 1.0 removed them, and a 1.0
		// wallet that still reads them (@openid4vc/openid4vp) refuses the request unless it supports
		// that one enc, so only the draft-era (presentation_definition) request carries them.
		if s.Definition != nil {
			meta["authorization_encrypted_response_alg"] = jwe.Algorithm
			meta["authorization_encrypted_response_enc"] = jwe.A128GCM
		}
	}
	return nil
}

// open returns the response's parameters: decrypted for direct_post.jwt, as posted otherwise. A
// response in the other mode than the request's is refused.
func (s *spec) open(resp Response) (Response, *WalletError) {
	if s.mode() != ModeDirectPostJWT {
		if resp.Encrypted != "" {
			return resp, walletErr(CodeResponseMode, "the request asked for response_mode %s, not an encrypted response", s.mode())
		}
		return resp, nil
	}
	if resp.Encrypted == "" || resp.VPToken != "" || resp.IDToken != "" {
		return resp, walletErr(CodeResponseMode, "the request asked for response_mode %s: the response must be encrypted", ModeDirectPostJWT)
	}
	key, err := jwe.ParseKey(s.EncKey)
	if err != nil {
		return resp, walletErr(CodeDecryption, "the request's key is unreadable")
	}
	plain, err := key.Decrypt(resp.Encrypted, nil)
	if err != nil {
		return resp, walletErr(CodeDecryption, "%v", err)
	}
	out, err := ParseEncryptedPayload(plain)
	if err != nil {
		return resp, walletErr(CodeMalformed, "%v", err)
	}
	return out, nil
}

// ParseEncryptedPayload reads the JSON object a wallet encrypts for direct_post.jwt: vp_token (an
// object, as OpenID4VP 1.0 sends it, or that object as a JSON string), id_token and state. It is
// bounded in size and depth; the vp_token itself is read later by ParseVPToken.
func ParseEncryptedPayload(b []byte) (Response, error) {
	if err := jsonlimit.Check(b, MaxResponseBytes, maxDepth); err != nil {
		return Response{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var p struct {
		VPToken    json.RawMessage `json:"vp_token"`
		IDToken    string          `json:"id_token"`
		State      string          `json:"state"`
		Submission json.RawMessage `json:"presentation_submission"` // draft-era responses
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return Response{}, fmt.Errorf("%w: encrypted response is not a JSON object of strings: %v", ErrMalformed, err)
	}
	out := Response{IDToken: p.IDToken, State: p.State}
	var err error
	if out.VPToken, err = formValue("vp_token", p.VPToken); err != nil {
		return Response{}, err
	}
	if out.PresentationSubmission, err = formValue("presentation_submission", p.Submission); err != nil {
		return Response{}, err
	}
	return out, nil
}

// formValue is a member of the encrypted payload as the form parameter of the same name would carry it:
// a JSON string's value, or the JSON text of anything else (wallets send vp_token and
// presentation_submission either way); absent or null is "".
func formValue(name string, raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || bytes.Equal(raw, []byte("null")):
		return "", nil
	case raw[0] == '"':
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", fmt.Errorf("%w: %s: %v", ErrMalformed, name, err)
		}
		return v, nil
	}
	return string(raw), nil
}

// checkIDToken verifies the response's id_token when the request asked for one, and makes its subject
// the event's: it must be the presentations' holder when there are presentations.
func (v *Verifier) checkIDToken(ctx context.Context, r *exchange.Request, s *spec, resp Response, ev *exchange.Event) *WalletError {
	if !s.wantsIDToken() {
		if resp.IDToken != "" {
			return walletErr(CodeResponseMode, "the request asked for no id_token")
		}
		return nil
	}
	if resp.IDToken == "" {
		return walletErr(CodeIDTokenMissing, "the request asked for response_type %q", s.responseType())
	}
	cv := v.Credentials
	iv := &siop.Verifier{Resolver: cv.Resolver, ClockSkew: cv.ClockSkew, Algorithms: cv.Algorithms, Now: cv.Now}
	sub, err := iv.Verify(ctx, resp.IDToken, siop.Expect{Audience: s.clientID(v), Nonce: r.Nonce})
	if err != nil {
		var e *siop.Error
		if errors.As(err, &e) {
			return walletErr(string(e.Code), "%s", e.Detail)
		}
		return walletErr(string(siop.CodeInvalid), "%v", err)
	}
	if ev.Subject != "" && ev.Subject != sub {
		return walletErr(CodeSubjectMismatch, "the id_token's subject %s is not the presentations' holder", sub)
	}
	ev.Subject = sub
	return nil
}
