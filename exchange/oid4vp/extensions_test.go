package oid4vp_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/exchange/jwe"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/exchange/presex"
)

// requestObject is what a wallet reads from a request object beyond the harness's wallet.
type requestObject struct {
	ResponseType   string `json:"response_type"`
	ResponseMode   string `json:"response_mode"`
	Scope          string `json:"scope"`
	ClientMetadata struct {
		JWKS           jose.JSONWebKeySet `json:"jwks"`
		EncValues      []string           `json:"encrypted_response_enc_values_supported"`
		DraftEnc       string             `json:"authorization_encrypted_response_enc"` // draft-era requests only
		SubjectSyntax  []string           `json:"subject_syntax_types_supported"`
		VPFormatsGiven json.RawMessage    `json:"vp_formats_supported"`
	} `json:"client_metadata"`
	DCQL       *dcql.Query        `json:"dcql_query"`
	Definition *presex.Definition `json:"presentation_definition"`
}

// createWith creates a request for rcs (none for an id_token alone) with the extension field ext.
func (h *harness) createWith(t testing.TB, ext *exchange.PresentationExtensions, rcs ...exchange.RequestedCredential) exchange.CreateResponse {
	t.Helper()
	var pr exchange.PresentationRequest
	_ = json.Unmarshal(h.createBody(exchange.RequestedCredential{}), &pr)
	pr.RequestedCredentials, pr.Extensions = rcs, ext
	body, _ := json.Marshal(pr)
	code, resp := call(t, "POST", h.node.URL+exchange.APIPrefix+"/createPresentationRequest", adminToken, "application/json", body)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, resp)
	}
	var cr exchange.CreateResponse
	if err := json.Unmarshal(resp, &cr); err != nil {
		t.Fatal(err)
	}
	return cr
}

// open fetches the request object of cr and reads it.
func (h *harness) open(t testing.TB, cr exchange.CreateResponse) (wallet, requestObject) {
	t.Helper()
	u, _ := url.Parse(cr.URL)
	w := wallet{requestURI: u.Query().Get("request_uri"), clientID: u.Query().Get("client_id")}
	code, body := call(t, "GET", w.requestURI, "", "", nil)
	parts := strings.Split(string(body), ".")
	if code != http.StatusOK || len(parts) != 3 {
		t.Fatalf("request object: %d %s", code, body)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var all struct {
		requestObject
		ResponseURI string `json:"response_uri"`
		Nonce       string `json:"nonce"`
		State       string `json:"state"`
	}
	if err := json.Unmarshal(payload, &all); err != nil {
		t.Fatal(err)
	}
	w.responseURI, w.nonce, w.state = all.ResponseURI, all.Nonce, all.State
	if all.DCQL != nil {
		w.dcql = *all.DCQL
	}
	return w, all.requestObject
}

func (h *harness) postForm(t testing.TB, w wallet, form url.Values) (int, string) {
	t.Helper()
	code, body := call(t, "POST", w.responseURI, "", "application/x-www-form-urlencoded", []byte(form.Encode()))
	var e struct{ Code string }
	_ = json.Unmarshal(body, &e)
	return code, e.Code
}

// idToken is the holder's self-issued ID Token for w, with claims overridden (nil removes one).
func idToken(t testing.TB, s *credential.Signer, w wallet, now time.Time, override map[string]any) string {
	t.Helper()
	c := map[string]any{"iss": s.DID(), "sub": s.DID(), "aud": w.clientID, "nonce": w.nonce,
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}
	for k, v := range override {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	b, _ := json.Marshal(c)
	jwt, err := s.Sign(b, "JWT")
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

// encryptTo encrypts the response parameters to the request object's key, as a wallet does.
func encryptTo(t testing.TB, ro requestObject, enc string, params map[string]any) string {
	t.Helper()
	if len(ro.ClientMetadata.JWKS.Keys) != 1 {
		t.Fatalf("request object offers %d keys", len(ro.ClientMetadata.JWKS.Keys))
	}
	b, _ := json.Marshal(params)
	out, err := jwe.Encrypt(ro.ClientMetadata.JWKS.Keys[0], enc, b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// outcome checks the response's HTTP answer and the relying party's callback: presentation_verified
// when code is "", else a 400 and presentation_error with code. It returns the callback.
func (h *harness) outcome(t testing.TB, cr exchange.CreateResponse, httpCode int, got, code string) exchange.Event {
	t.Helper()
	h.verifier.Dispatcher.Wait()
	events := h.rp.byRequest(cr.RequestID)
	if code == "" {
		ev, ok := events[exchange.StatusPresentationVerified]
		if httpCode != http.StatusOK || !ok {
			t.Fatalf("response %d %q, callbacks %+v", httpCode, got, events)
		}
		return ev
	}
	ev, ok := events[exchange.StatusPresentationError]
	if httpCode != http.StatusBadRequest || got != code || !ok || ev.Error == nil || ev.Error.Code != code {
		t.Fatalf("response %d %q, callbacks %+v; want 400 %q", httpCode, got, events, code)
	}
	if _, ok := events[exchange.StatusPresentationVerified]; ok {
		t.Fatalf("verified as well: %+v", events)
	}
	return ev
}

func TestEncryptedResponse(t *testing.T) {
	h := newHarness(t)
	holderDID := h.holder.Signer.DID()
	rc := exchange.RequestedCredential{Type: "VerifiedEmployee"}
	encrypted := &exchange.PresentationExtensions{ResponseMode: oid4vp.ModeDirectPostJWT}
	vpToken := func(w wallet, nonce string) map[string][]string {
		vp, err := h.holder.Present([]string{h.issue(t, h.issuer, holderDID, nil)}, w.clientID, nonce, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return map[string][]string{w.dcql.Credentials[0].ID: {vp}}
	}
	otherKey, err := jwe.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ext  *exchange.PresentationExtensions
		form func(w wallet, ro requestObject) url.Values
		code string
	}{
		{"A128GCM", encrypted, func(w wallet, ro requestObject) url.Values {
			return url.Values{"response": {encryptTo(t, ro, jwe.A128GCM, map[string]any{"vp_token": vpToken(w, w.nonce), "state": w.state})}}
		}, ""},
		{"A256GCM, vp_token as a JSON string", encrypted, func(w wallet, ro requestObject) url.Values {
			tok, _ := json.Marshal(vpToken(w, w.nonce))
			return url.Values{"response": {encryptTo(t, ro, jwe.A256GCM, map[string]any{"vp_token": string(tok), "state": w.state})}}
		}, ""},
		{"in the clear", encrypted, func(w wallet, ro requestObject) url.Values {
			tok, _ := json.Marshal(vpToken(w, w.nonce))
			return url.Values{"vp_token": {string(tok)}, "state": {w.state}}
		}, oid4vp.CodeResponseMode},
		{"encrypted and a vp_token in the clear", encrypted, func(w wallet, ro requestObject) url.Values {
			tok, _ := json.Marshal(vpToken(w, w.nonce))
			return url.Values{"response": {encryptTo(t, ro, jwe.A128GCM, map[string]any{"vp_token": vpToken(w, w.nonce), "state": w.state})}, "vp_token": {string(tok)}}
		}, oid4vp.CodeResponseMode},
		{"tampered JWE", encrypted, func(w wallet, ro requestObject) url.Values {
			parts := strings.Split(encryptTo(t, ro, jwe.A128GCM, map[string]any{"vp_token": vpToken(w, w.nonce), "state": w.state}), ".")
			ct, _ := base64.RawURLEncoding.DecodeString(parts[3])
			ct[0] ^= 1
			parts[3] = base64.RawURLEncoding.EncodeToString(ct)
			return url.Values{"response": {strings.Join(parts, ".")}}
		}, oid4vp.CodeDecryption},
		{"JWE to another key", encrypted, func(w wallet, ro requestObject) url.Values {
			other := requestObject{}
			other.ClientMetadata.JWKS = otherKey.JWKS()
			other.ClientMetadata.JWKS.Keys[0].KeyID = ro.ClientMetadata.JWKS.Keys[0].KeyID // even under this request's kid
			return url.Values{"response": {encryptTo(t, other, jwe.A128GCM, map[string]any{"vp_token": vpToken(w, w.nonce), "state": w.state})}}
		}, oid4vp.CodeDecryption},
		{"wrong nonce inside the JWE", encrypted, func(w wallet, ro requestObject) url.Values {
			return url.Values{"response": {encryptTo(t, ro, jwe.A128GCM, map[string]any{"vp_token": vpToken(w, "another"), "state": w.state})}}
		}, string(credential.CodeNonceMismatch)},
		{"wrong state inside the JWE", encrypted, func(w wallet, ro requestObject) url.Values {
			return url.Values{"response": {encryptTo(t, ro, jwe.A128GCM, map[string]any{"vp_token": vpToken(w, w.nonce), "state": "x"})}}
		}, oid4vp.CodeMalformed},
		{"an encrypted response to a plain request", nil, func(w wallet, ro requestObject) url.Values {
			k, _ := jwe.NewKey()
			ro.ClientMetadata.JWKS = k.JWKS()
			return url.Values{"response": {encryptTo(t, ro, jwe.A128GCM, map[string]any{"vp_token": vpToken(w, w.nonce), "state": w.state})}}
		}, oid4vp.CodeResponseMode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr := h.createWith(t, tt.ext, rc)
			w, ro := h.open(t, cr)
			if tt.ext != nil {
				k := ro.ClientMetadata.JWKS.Keys
				if ro.ResponseMode != oid4vp.ModeDirectPostJWT || len(k) != 1 || k[0].Use != "enc" || k[0].Algorithm != jwe.Algorithm ||
					!k[0].IsPublic() || len(ro.ClientMetadata.EncValues) == 0 || ro.ClientMetadata.DraftEnc != "" {
					t.Fatalf("request object %+v", ro)
				}
			} else if ro.ResponseMode != oid4vp.ModeDirectPost || len(ro.ClientMetadata.JWKS.Keys) != 0 {
				t.Fatalf("plain request object %+v", ro)
			}
			code, got := h.postForm(t, w, tt.form(w, ro))
			ev := h.outcome(t, cr, code, got, tt.code)
			if tt.code == "" && (ev.Subject != holderDID || len(ev.VerifiedCredentialsData) != 1) {
				t.Fatalf("presentation_verified %+v", ev)
			}
		})
	}
}
