package oid4vp_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/jwe"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/exchange/siop"
	"github.com/ionode/ionode/internal/credtest"
)

func TestIDToken(t *testing.T) {
	h := newHarness(t)
	now := h.env.Now()
	holderDID := h.holder.Signer.DID()
	rc := exchange.RequestedCredential{Type: "VerifiedEmployee"}
	both := &exchange.PresentationExtensions{ResponseType: oid4vp.TypeVPTokenIDToken}
	alone := &exchange.PresentationExtensions{ResponseType: oid4vp.TypeIDToken}
	encrypted := &exchange.PresentationExtensions{ResponseType: oid4vp.TypeVPTokenIDToken, ResponseMode: oid4vp.ModeDirectPostJWT}
	// impostor signs with its own key under the holder's kid.
	impostorKey, _ := credential.GenerateKey(credential.EdDSA)
	impostor, err := credential.NewSigner(h.holder.Signer.KID, impostorKey)
	if err != nil {
		t.Fatal(err)
	}
	other := credtest.KeyDID(t, credential.ES256)
	vpToken := func(w wallet) string {
		return h.present(t, w, h.holder, []string{h.issue(t, h.issuer, holderDID, nil)}, w.nonce)
	}
	tests := []struct {
		name string
		ext  *exchange.PresentationExtensions
		form func(w wallet, ro requestObject) url.Values
		code string
	}{
		{"vp_token and id_token", both, func(w wallet, _ requestObject) url.Values {
			return url.Values{"vp_token": {vpToken(w)}, "id_token": {idToken(t, h.holder.Signer, w, now, nil)}, "state": {w.state}}
		}, ""},
		{"id_token alone", alone, func(w wallet, _ requestObject) url.Values {
			return url.Values{"id_token": {idToken(t, h.holder.Signer, w, now, nil)}, "state": {w.state}}
		}, ""},
		{"both, encrypted", encrypted, func(w wallet, ro requestObject) url.Values {
			var tok map[string][]string
			_ = json.Unmarshal([]byte(vpToken(w)), &tok)
			return url.Values{"response": {encryptTo(t, ro, jwe.A128GCM, map[string]any{
				"vp_token": tok, "id_token": idToken(t, h.holder.Signer, w, now, nil), "state": w.state})}}
		}, ""},
		{"no id_token", both, func(w wallet, _ requestObject) url.Values {
			return url.Values{"vp_token": {vpToken(w)}, "state": {w.state}}
		}, oid4vp.CodeIDTokenMissing},
		{"wrong nonce", alone, func(w wallet, _ requestObject) url.Values {
			return url.Values{"id_token": {idToken(t, h.holder.Signer, w, now, map[string]any{"nonce": "another"})}, "state": {w.state}}
		}, string(siop.CodeNonce)},
		{"wrong audience", alone, func(w wallet, _ requestObject) url.Values {
			return url.Values{"id_token": {idToken(t, h.holder.Signer, w, now, map[string]any{"aud": "decentralized_identifier:did:web:rp.example"})}, "state": {w.state}}
		}, string(siop.CodeAudience)},
		{"signed by another key", alone, func(w wallet, _ requestObject) url.Values {
			return url.Values{"id_token": {idToken(t, impostor, w, now, nil)}, "state": {w.state}}
		}, string(siop.CodeInvalidSignature)},
		{"expired", alone, func(w wallet, _ requestObject) url.Values {
			return url.Values{"id_token": {idToken(t, h.holder.Signer, w, now.Add(-time.Hour), nil)}, "state": {w.state}}
		}, string(siop.CodeExpired)},
		{"not self-issued", alone, func(w wallet, _ requestObject) url.Values {
			return url.Values{"id_token": {idToken(t, h.holder.Signer, w, now, map[string]any{"iss": "https://op.example"})}, "state": {w.state}}
		}, string(siop.CodeInvalid)},
		{"id_token by another DID than the holder", both, func(w wallet, _ requestObject) url.Values {
			return url.Values{"vp_token": {vpToken(w)}, "id_token": {idToken(t, other, w, now, nil)}, "state": {w.state}}
		}, oid4vp.CodeSubjectMismatch},
		{"a vp_token where only an id_token was asked for", alone, func(w wallet, _ requestObject) url.Values {
			return url.Values{"vp_token": {`{"credential_0":["a.b.c"]}`}, "id_token": {idToken(t, h.holder.Signer, w, now, nil)}, "state": {w.state}}
		}, oid4vp.CodeResponseMode},
		{"an id_token where none was asked for", nil, func(w wallet, _ requestObject) url.Values {
			return url.Values{"vp_token": {vpToken(w)}, "id_token": {idToken(t, h.holder.Signer, w, now, nil)}, "state": {w.state}}
		}, oid4vp.CodeResponseMode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rcs []exchange.RequestedCredential
			if tt.ext == nil || tt.ext.ResponseType != oid4vp.TypeIDToken {
				rcs = append(rcs, rc)
			}
			cr := h.createWith(t, tt.ext, rcs...)
			w, ro := h.open(t, cr)
			if tt.ext != nil {
				if ro.ResponseType != tt.ext.ResponseType || ro.Scope != "openid" || len(ro.ClientMetadata.SubjectSyntax) == 0 ||
					(ro.DCQL == nil) != (tt.ext.ResponseType == oid4vp.TypeIDToken) {
					t.Fatalf("request object %+v", ro)
				}
			}
			code, got := h.postForm(t, w, tt.form(w, ro))
			ev := h.outcome(t, cr, code, got, tt.code)
			if tt.code == "" && ev.Subject != holderDID {
				t.Fatalf("subject %q, want %s", ev.Subject, holderDID)
			}
		})
	}
}

func TestCreateExtensionRefusals(t *testing.T) {
	h := newHarness(t)
	u := h.node.URL + exchange.APIPrefix + "/createPresentationRequest"
	for name, body := range map[string]string{
		"unknown response mode":             `{"registration":{"clientName":"x"},"requestedCredentials":[{"type":"T"}],"ionode":{"responseMode":"fragment"}}`,
		"unknown response type":             `{"registration":{"clientName":"x"},"requestedCredentials":[{"type":"T"}],"ionode":{"responseType":"code"}}`,
		"id_token alone with credentials":   `{"registration":{"clientName":"x"},"requestedCredentials":[{"type":"T"}],"ionode":{"responseType":"id_token"}}`,
		"vp_token id_token without any":     `{"registration":{"clientName":"x"},"requestedCredentials":[],"ionode":{"responseType":"vp_token id_token"}}`,
		"linked domains without a verifier": `{"registration":{"clientName":"x"},"requestedCredentials":[{"type":"T","configuration":{"validation":{"validateLinkedDomain":true}}}]}`,
	} {
		code, resp := call(t, "POST", u, adminToken, "application/json", []byte(body))
		var e struct {
			Error struct {
				InnerError struct{ Code, Target string } `json:"innererror"`
			}
		}
		if err := json.Unmarshal(resp, &e); code != http.StatusBadRequest || err != nil || e.Error.InnerError.Code != "badOrMissingField" || e.Error.InnerError.Target == "" {
			t.Errorf("%s: %d %s", name, code, resp)
		}
	}
}
