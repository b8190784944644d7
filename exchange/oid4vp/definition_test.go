package oid4vp_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/exchange/presex"
)

// draftRequest is what a draft-era wallet reads from a presentation-definition request object.
type draftRequest struct {
	ClientID       string             `json:"client_id"`
	ClientIDScheme string             `json:"client_id_scheme"`
	Iss            string             `json:"iss"`
	ResponseURI    string             `json:"response_uri"`
	Nonce          string             `json:"nonce"`
	State          string             `json:"state"`
	Definition     *presex.Definition `json:"presentation_definition"`
	DCQL           json.RawMessage    `json:"dcql_query"`
	Metadata       struct {
		VPFormats map[string]any `json:"vp_formats"`
	} `json:"client_metadata"`
}

func (h *harness) fetchDraft(t *testing.T, cr exchange.CreateResponse) draftRequest {
	t.Helper()
	u, err := url.Parse(cr.URL)
	if err != nil {
		t.Fatal(err)
	}
	code, body := call(t, "GET", u.Query().Get("request_uri"), "", "", nil)
	parts := strings.Split(string(body), ".")
	if code != http.StatusOK || len(parts) != 3 {
		t.Fatalf("request object: %d %s", code, body)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var ro draftRequest
	if err := json.Unmarshal(payload, &ro); err != nil {
		t.Fatal(err)
	}
	did := h.verifier.Signer.DID()
	if ro.ClientID != did || u.Query().Get("client_id") != did || ro.ClientIDScheme != "did" || ro.Iss != did ||
		ro.Definition == nil || ro.DCQL != nil || ro.Metadata.VPFormats[presex.FormatJWTVPJSON] == nil {
		t.Fatalf("draft-era request object %s", payload)
	}
	return ro
}

func submission(defID, path, nested string) string {
	b, _ := json.Marshal(presex.Submission{ID: "sub", DefinitionID: defID, DescriptorMap: []presex.Descriptor{{
		ID: presex.DescriptorID(0), Format: presex.FormatJWTVPJSON, Path: path,
		PathNested: &presex.Descriptor{ID: presex.DescriptorID(0), Format: presex.FormatJWTVCJSON, Path: nested},
	}}})
	return string(b)
}

// TestPresentationDefinition: with ionode.query = presentation_definition the wallet
// gets a draft-era request (client_id_scheme=did, presentation_definition) and answers with a
// presentation_submission; the node follows it and verifies as for DCQL.
func TestPresentationDefinition(t *testing.T) {
	h := newHarness(t)
	holderDID := h.holder.Signer.DID()
	rc := exchange.RequestedCredential{Type: "VerifiedEmployee", AcceptedIssuers: []string{h.issuer.Signer.DID()}}
	create := func() exchange.CreateResponse {
		var pr exchange.PresentationRequest
		_ = json.Unmarshal(h.createBody(rc), &pr)
		pr.Extensions = &exchange.PresentationExtensions{}
		pr.Extensions.Query = oid4vp.QueryPresentationDefinition
		b, _ := json.Marshal(pr)
		code, body := call(t, "POST", h.node.URL+exchange.APIPrefix+"/createPresentationRequest", adminToken, "application/json", b)
		var cr exchange.CreateResponse
		if code != http.StatusCreated || json.Unmarshal(body, &cr) != nil {
			t.Fatalf("create: %d %s", code, body)
		}
		return cr
	}
	vp := func(ro draftRequest, iss *credential.Issuer, aud, nonce string) string {
		jwt, err := h.holder.Present([]string{h.issue(t, iss, holderDID, nil)}, aud, nonce, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return jwt
	}
	asArray := func(vp string) string { b, _ := json.Marshal([]string{vp}); return string(b) }
	tests := []struct {
		name   string
		answer func(ro draftRequest) (vpToken, sub string)
		code   string
	}{
		{"VP at $, credential at $.verifiableCredential[0]", func(ro draftRequest) (string, string) {
			return vp(ro, h.issuer, ro.ClientID, ro.Nonce), submission(ro.Definition.ID, "$", "$.verifiableCredential[0]")
		}, ""},
		{"array vp_token, JWT-claims path", func(ro draftRequest) (string, string) {
			return asArray(vp(ro, h.issuer, ro.ClientID, ro.Nonce)), submission(ro.Definition.ID, "$[0]", "$.vp.verifiableCredential[0]")
		}, ""},
		{"no presentation_submission", func(ro draftRequest) (string, string) {
			return vp(ro, h.issuer, ro.ClientID, ro.Nonce), ""
		}, oid4vp.CodeSubmission},
		{"another definition", func(ro draftRequest) (string, string) {
			return vp(ro, h.issuer, ro.ClientID, ro.Nonce), submission("other", "$", "$.verifiableCredential[0]")
		}, oid4vp.CodeSubmission},
		{"path to nothing", func(ro draftRequest) (string, string) {
			return vp(ro, h.issuer, ro.ClientID, ro.Nonce), submission(ro.Definition.ID, "$", "$.verifiableCredential[3]")
		}, oid4vp.CodeSubmission},
		{"issuer outside acceptedIssuers", func(ro draftRequest) (string, string) {
			return vp(ro, h.other, ro.ClientID, ro.Nonce), submission(ro.Definition.ID, "$", "$.verifiableCredential[0]")
		}, oid4vp.CodeIssuer},
		{"audience is the 1.0 client_id", func(ro draftRequest) (string, string) {
			return vp(ro, h.issuer, oid4vp.ClientIDPrefix+ro.ClientID, ro.Nonce), submission(ro.Definition.ID, "$", "$.verifiableCredential[0]")
		}, string(credential.CodeAudienceMismatch)},
		{"wrong nonce", func(ro draftRequest) (string, string) {
			return vp(ro, h.issuer, ro.ClientID, "other"), submission(ro.Definition.ID, "$", "$.verifiableCredential[0]")
		}, string(credential.CodeNonceMismatch)},
		{"a DCQL answer", func(ro draftRequest) (string, string) {
			tok, _ := json.Marshal(map[string][]string{"credential_0": {vp(ro, h.issuer, ro.ClientID, ro.Nonce)}})
			return string(tok), submission(ro.Definition.ID, "$", "$.verifiableCredential[0]")
		}, oid4vp.CodeMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr := create()
			ro := h.fetchDraft(t, cr)
			vpToken, sub := tt.answer(ro)
			form := url.Values{"vp_token": {vpToken}, "state": {ro.State}}
			if sub != "" {
				form.Set("presentation_submission", sub)
			}
			code, body := call(t, "POST", ro.ResponseURI, "", "application/x-www-form-urlencoded", []byte(form.Encode()))
			var e struct{ Code string }
			_ = json.Unmarshal(body, &e)
			h.verifier.Dispatcher.Wait()
			events := h.rp.byRequest(cr.RequestID)
			if tt.code != "" {
				if code != http.StatusBadRequest || e.Code != tt.code || events[exchange.StatusPresentationError].Error == nil {
					t.Fatalf("response %d %s, want 400 %s; events %+v", code, body, tt.code, events)
				}
				return
			}
			ev := events[exchange.StatusPresentationVerified]
			if code != http.StatusOK || ev.Subject != holderDID || len(ev.VerifiedCredentialsData) != 1 || string(ev.VerifiedCredentialsData[0].Claims) != `{"displayName":"Alice"}` {
				t.Fatalf("response %d %s, events %+v", code, body, events)
			}
		})
	}
	var pr exchange.PresentationRequest
	_ = json.Unmarshal(h.createBody(rc), &pr)
	pr.Extensions = &exchange.PresentationExtensions{}
	pr.Extensions.Query = "sparql"
	b, _ := json.Marshal(pr)
	if code, body := call(t, "POST", h.node.URL+exchange.APIPrefix+"/createPresentationRequest", adminToken, "application/json", b); code != http.StatusBadRequest || !strings.Contains(string(body), "ionode.query") {
		t.Fatalf("unknown query: %d %s", code, body)
	}
}
