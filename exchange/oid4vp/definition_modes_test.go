package oid4vp_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/jwe"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/exchange/siop"
)

// TestDefinitionModes: a presentation-definition (draft-era) request also takes direct_post.jwt and an
// id_token: the submission travels inside the JWE, and the id_token's audience is the draft-era
// client_id (the bare DID), not the 1.0 one.
func TestDefinitionModes(t *testing.T) {
	h := newHarness(t)
	now := h.env.Now()
	holderDID := h.holder.Signer.DID()
	rc := exchange.RequestedCredential{Type: "VerifiedEmployee", AcceptedIssuers: []string{h.issuer.Signer.DID()}}
	ext := &exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition,
		ResponseMode: oid4vp.ModeDirectPostJWT, ResponseType: oid4vp.TypeVPTokenIDToken}
	vp := func(w wallet) string {
		jwt, err := h.holder.Present([]string{h.issue(t, h.issuer, holderDID, nil)}, w.clientID, w.nonce, 0)
		if err != nil {
			t.Fatal(err)
		}
		return jwt
	}
	tests := []struct {
		name    string
		payload func(w wallet, ro requestObject) map[string]any
		clear   bool // post the parameters unencrypted
		code    string
	}{
		{"encrypted, submission as an object", func(w wallet, ro requestObject) map[string]any {
			return map[string]any{"vp_token": vp(w), "state": w.state, "id_token": idToken(t, h.holder.Signer, w, now, nil),
				"presentation_submission": json.RawMessage(submission(ro.Definition.ID, "$", "$.verifiableCredential[0]"))}
		}, false, ""},
		{"encrypted, submission as a string", func(w wallet, ro requestObject) map[string]any {
			return map[string]any{"vp_token": vp(w), "state": w.state, "id_token": idToken(t, h.holder.Signer, w, now, nil),
				"presentation_submission": submission(ro.Definition.ID, "$", "$.verifiableCredential[0]")}
		}, false, ""},
		{"id_token for the 1.0 client_id", func(w wallet, ro requestObject) map[string]any {
			return map[string]any{"vp_token": vp(w), "state": w.state,
				"id_token":                idToken(t, h.holder.Signer, w, now, map[string]any{"aud": oid4vp.ClientIDPrefix + w.clientID}),
				"presentation_submission": submission(ro.Definition.ID, "$", "$.verifiableCredential[0]")}
		}, false, string(siop.CodeAudience)},
		{"no submission in the JWE", func(w wallet, ro requestObject) map[string]any {
			return map[string]any{"vp_token": vp(w), "state": w.state, "id_token": idToken(t, h.holder.Signer, w, now, nil)}
		}, false, oid4vp.CodeSubmission},
		{"in the clear", func(w wallet, ro requestObject) map[string]any {
			return map[string]any{"vp_token": vp(w), "state": w.state, "id_token": idToken(t, h.holder.Signer, w, now, nil),
				"presentation_submission": submission(ro.Definition.ID, "$", "$.verifiableCredential[0]")}
		}, true, oid4vp.CodeResponseMode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr := h.createWith(t, ext, rc)
			w, ro := h.open(t, cr)
			if w.clientID != h.verifier.Signer.DID() || ro.Definition == nil || ro.DCQL != nil || len(ro.ClientMetadata.JWKS.Keys) != 1 {
				t.Fatalf("request object: client_id %q, definition %v, dcql %v, %d keys", w.clientID, ro.Definition != nil, ro.DCQL != nil, len(ro.ClientMetadata.JWKS.Keys))
			}
			if ro.ClientMetadata.DraftEnc != jwe.A128GCM { // draft-era wallets read the enc here
				t.Fatalf("authorization_encrypted_response_enc %q", ro.ClientMetadata.DraftEnc)
			}
			params := tt.payload(w, ro)
			form := url.Values{"response": {encryptTo(t, ro, jwe.A256GCM, params)}}
			if tt.clear {
				form = url.Values{}
				for k, v := range params {
					if s, ok := v.(string); ok {
						form.Set(k, s)
					}
				}
			}
			code, got := h.postForm(t, w, form)
			ev := h.outcome(t, cr, code, got, tt.code)
			if tt.code == "" && (ev.Subject != holderDID || len(ev.VerifiedCredentialsData) != 1) {
				t.Fatalf("subject %q, %d credentials", ev.Subject, len(ev.VerifiedCredentialsData))
			}
		})
	}
}
