package oid4vp_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver/web"
)

const adminToken = "admin-secret"

// rp is a relying party's callback endpoint.
type rp struct {
	srv    *httptest.Server
	mu     sync.Mutex
	events []exchange.Event
}

func newRP(t testing.TB) *rp {
	p := &rp{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Api-Key") != "rp-key" {
			http.Error(w, "no key", http.StatusForbidden)
			return
		}
		var ev exchange.Event
		if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
			t.Error(err)
		}
		p.mu.Lock()
		p.events = append(p.events, ev)
		p.mu.Unlock()
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *rp) byRequest(id string) map[exchange.Status]exchange.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[exchange.Status]exchange.Event{}
	for _, ev := range p.events {
		if ev.RequestID == id {
			out[ev.RequestStatus] = ev
		}
	}
	return out
}

// harness is a node serving the Request Service API over HTTP, an issuer with a status list, a holder.
type harness struct {
	env      *credtest.Env
	node     *httptest.Server
	verifier *oid4vp.Verifier
	rp       *rp
	issuer   *credential.Issuer
	other    *credential.Issuer
	statuses *status.Manager
	holder   *credential.Issuer
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	env := credtest.NewEnv(t)
	h := &harness{env: env, rp: newRP(t)}
	h.issuer = &credential.Issuer{Signer: env.WebIssuer(t, credential.ES256K, "issuer"), Now: env.Now}
	h.other = &credential.Issuer{Signer: env.WebIssuer(t, credential.EdDSA, "other"), Now: env.Now}
	h.statuses = &status.Manager{Store: &status.FileStore{Dir: t.TempDir()}, Issuer: h.issuer, BaseURL: env.Server.Origin() + "/issuer/status"}
	env.Server.Mux.Handle("/issuer/status/", http.StripPrefix("/issuer/status", h.statuses.Handler()))
	if err := h.statuses.Create(context.Background(), "l", status.BitstringStatusList, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	h.holder = &credential.Issuer{Signer: credtest.KeyDID(t, credential.EdDSA), Now: env.Now}

	st, err := pebble.Open(t.TempDir(), pebble.Options{CacheSize: 1 << 20, StateMemoSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(context.Background()) })
	core := &credential.Verifier{Resolver: env.Resolver, Now: env.Now}
	cv := *core
	cv.Status = &status.Checker{Client: env.Client, Verifier: core, TTL: time.Nanosecond}
	requests := &exchange.Requests{Sessions: st, Now: env.Now}
	guard := web.Guard{AllowLoopback: true} // the relying party listens on loopback in this test
	h.verifier = &oid4vp.Verifier{
		Requests:    requests,
		Dispatcher:  &exchange.Dispatcher{Client: exchange.NewCallbackClient(guard, true), Guard: guard, Backoff: time.Millisecond},
		Credentials: &cv,
		Signer:      credtest.KeyDID(t, credential.ES256),
	}
	mux := exchange.NewMux(requests, []string{httpapi.HashToken(adminToken)})
	h.verifier.Mount(mux)
	h.node = httptest.NewServer(mux)
	t.Cleanup(h.node.Close)
	h.verifier.BaseURL = h.node.URL
	t.Cleanup(h.verifier.Dispatcher.Wait)
	return h
}

func (h *harness) issue(t testing.TB, iss *credential.Issuer, subject string, st *credential.Status) string {
	t.Helper()
	jwt, err := iss.Issue(credential.Claims{Types: []string{"VerifiedEmployee"}, Subject: map[string]any{"id": subject, "displayName": "Alice"}, Status: st})
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

func call(t testing.TB, method, u, token, contentType string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func (h *harness) createBody(rc exchange.RequestedCredential) []byte {
	b, _ := json.Marshal(exchange.PresentationRequest{
		IncludeQRCode: true, Registration: exchange.Registration{ClientName: "Contoso", Purpose: "prove employment"},
		Callback:             &exchange.Callback{URL: h.rp.srv.URL + "/cb", State: "rp-state", Headers: map[string]string{"api-key": "rp-key"}},
		RequestedCredentials: []exchange.RequestedCredential{rc},
	})
	return b
}

func (h *harness) create(t testing.TB, rc exchange.RequestedCredential) exchange.CreateResponse {
	t.Helper()
	code, body := call(t, "POST", h.node.URL+exchange.APIPrefix+"/createPresentationRequest", adminToken, "application/json", h.createBody(rc))
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	var cr exchange.CreateResponse
	if err := json.Unmarshal(body, &cr); err != nil {
		t.Fatal(err)
	}
	return cr
}

// wallet is what the holder's wallet reads from the request object.
type wallet struct {
	requestURI, responseURI, nonce, clientID, state string
	dcql                                            dcql.Query
}

// fetch follows the create response's URL to the request object and reads it (the signature is
// checked by the credential package's JWS code through the verifier's did:key).
func (h *harness) fetch(t testing.TB, cr exchange.CreateResponse) (wallet, int, string) {
	t.Helper()
	u, err := url.Parse(cr.URL)
	if err != nil || u.Scheme != "openid4vp" {
		t.Fatalf("wallet URL %q", cr.URL)
	}
	w := wallet{requestURI: u.Query().Get("request_uri"), clientID: u.Query().Get("client_id")}
	code, body := call(t, "GET", w.requestURI, "", "", nil)
	if code != http.StatusOK {
		var e struct{ Code string }
		_ = json.Unmarshal(body, &e)
		return w, code, e.Code
	}
	parts := strings.Split(string(body), ".")
	if len(parts) != 3 {
		t.Fatalf("request object %q", body)
	}
	hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var header struct{ Typ, Kid string }
	_ = json.Unmarshal(hdr, &header)
	if header.Typ != oid4vp.RequestObjectType || header.Kid != h.verifier.Signer.KID {
		t.Fatalf("request object header %s", hdr)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		ClientID     string     `json:"client_id"`
		ResponseMode string     `json:"response_mode"`
		ResponseURI  string     `json:"response_uri"`
		Nonce        string     `json:"nonce"`
		State        string     `json:"state"`
		DCQL         dcql.Query `json:"dcql_query"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	if claims.ClientID != w.clientID || !strings.HasPrefix(claims.ClientID, oid4vp.ClientIDPrefix+"did:key:") || claims.ResponseMode != "direct_post" {
		t.Fatalf("request object claims %s", payload)
	}
	w.responseURI, w.nonce, w.state, w.dcql = claims.ResponseURI, claims.Nonce, claims.State, claims.DCQL
	return w, code, ""
}

func (h *harness) present(t testing.TB, w wallet, holder *credential.Issuer, vcs []string, nonce string) string {
	t.Helper()
	vp, err := holder.Present(vcs, w.clientID, nonce, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	token, _ := json.Marshal(map[string][]string{w.dcql.Credentials[0].ID: {vp}})
	return string(token)
}

func (h *harness) post(t testing.TB, w wallet, vpToken string) (int, string) {
	t.Helper()
	form := url.Values{"vp_token": {vpToken}, "state": {w.state}}
	code, body := call(t, "POST", w.responseURI, "", "application/x-www-form-urlencoded", []byte(form.Encode()))
	var e struct{ Code string }
	_ = json.Unmarshal(body, &e)
	return code, e.Code
}

func TestPresentationExchange(t *testing.T) {
	h := newHarness(t)
	holderDID := h.holder.Signer.DID()
	rc := exchange.RequestedCredential{Type: "VerifiedEmployee", AcceptedIssuers: []string{h.issuer.Signer.DID()}}
	cr := h.create(t, rc)
	if !strings.HasPrefix(cr.QRCode, "data:image/png;base64,") || cr.Expiry <= h.env.Now().Unix() {
		t.Fatalf("create response %+v", cr)
	}
	w, code, _ := h.fetch(t, cr)
	if code != http.StatusOK {
		t.Fatalf("fetch: %d", code)
	}
	entry, err := h.statuses.Allocate(context.Background(), "l")
	if err != nil {
		t.Fatal(err)
	}
	vc := h.issue(t, h.issuer, holderDID, &entry)
	token := h.present(t, w, h.holder, []string{vc}, w.nonce)
	if code, c := h.post(t, w, token); code != http.StatusOK {
		t.Fatalf("response: %d %s", code, c)
	}
	// Replay: the same response again is refused, and so is fetching the request object again.
	if code, c := h.post(t, w, token); code != http.StatusBadRequest || c != oid4vp.CodeUsed {
		t.Fatalf("replayed response: %d %s", code, c)
	}
	if _, code, c := h.fetch(t, cr); code != http.StatusBadRequest || c != oid4vp.CodeUsed {
		t.Fatalf("request_uri after the response: %d %s", code, c)
	}
	h.verifier.Dispatcher.Wait()
	events := h.rp.byRequest(cr.RequestID)
	if ev, ok := events[exchange.StatusRetrieved]; !ok || ev.State != "rp-state" {
		t.Fatalf("request_retrieved callback: %+v", events)
	}
	ev, ok := events[exchange.StatusPresentationVerified]
	if !ok || ev.Subject != holderDID || len(ev.VerifiedCredentialsData) != 1 {
		t.Fatalf("presentation_verified callback: %+v", events)
	}
	vcd := ev.VerifiedCredentialsData[0]
	if vcd.Issuer != h.issuer.Signer.DID() || string(vcd.Claims) != `{"displayName":"Alice"}` || vcd.CredentialState.RevocationStatus != "VALID" {
		t.Fatalf("verified credential %+v claims %s", vcd, vcd.Claims)
	}
	// The status route, for relying parties without a callback, needs the admin token.
	statusURL := h.node.URL + exchange.APIPrefix + "/requests/" + cr.RequestID
	if code, _ := call(t, "GET", statusURL, "", "", nil); code != http.StatusUnauthorized {
		t.Fatalf("status without token: %d", code)
	}
	code, body := call(t, "GET", statusURL, adminToken, "", nil)
	var st exchange.Event
	if err := json.Unmarshal(body, &st); code != http.StatusOK || err != nil || st.RequestStatus != exchange.StatusPresentationVerified || st.Subject != holderDID {
		t.Fatalf("status: %d %s", code, body)
	}
}

// TestPresentationRefusals: each bad response is refused with a stable code, reported to the relying
// party as presentation_error, and uses the request up.
func TestPresentationRefusals(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	holderDID := h.holder.Signer.DID()
	accepted := exchange.RequestedCredential{Type: "VerifiedEmployee", AcceptedIssuers: []string{h.issuer.Signer.DID()}}
	revokedEntry, err := h.statuses.Allocate(ctx, "l")
	if err != nil {
		t.Fatal(err)
	}
	index, _ := strconv.Atoi(revokedEntry.StatusListIndex)
	if err := h.statuses.SetStatus(ctx, "l", index, true); err != nil {
		t.Fatal(err)
	}
	allowRevoked := accepted
	allowRevoked.Configuration.Validation.AllowRevoked = true
	otherHolder := &credential.Issuer{Signer: credtest.KeyDID(t, credential.ES256K), Now: h.env.Now}

	tests := []struct {
		name   string
		rc     exchange.RequestedCredential
		token  func(w wallet) string
		code   string
		revoke string // RevocationStatus when accepted
	}{
		{"wrong nonce", accepted, func(w wallet) string {
			return h.present(t, w, h.holder, []string{h.issue(t, h.issuer, holderDID, nil)}, "another-nonce")
		}, string(credential.CodeNonceMismatch), ""},
		{"revoked credential", accepted, func(w wallet) string {
			return h.present(t, w, h.holder, []string{h.issue(t, h.issuer, holderDID, &revokedEntry)}, w.nonce)
		}, string(credential.CodeRevoked), ""},
		{"revoked credential, allowRevoked", allowRevoked, func(w wallet) string {
			return h.present(t, w, h.holder, []string{h.issue(t, h.issuer, holderDID, &revokedEntry)}, w.nonce)
		}, "", "REVOKED"},
		{"issuer outside acceptedIssuers", accepted, func(w wallet) string {
			return h.present(t, w, h.holder, []string{h.issue(t, h.other, holderDID, nil)}, w.nonce)
		}, oid4vp.CodeIssuer, ""},
		{"tampered vp_token", accepted, func(w wallet) string {
			vp, _ := h.holder.Present([]string{h.issue(t, h.issuer, holderDID, nil)}, w.clientID, w.nonce, time.Minute)
			parts := strings.Split(vp, ".")
			payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
			payload = bytes.Replace(payload, []byte(`"nonce":"`), []byte(`"nonce":"x`), 1)
			vp = parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]
			tok, _ := json.Marshal(map[string]string{w.dcql.Credentials[0].ID: vp}) // draft-era single string
			return string(tok)
		}, string(credential.CodeInvalidSignature), ""},
		{"holder is not the subject", accepted, func(w wallet) string {
			return h.present(t, w, otherHolder, []string{h.issue(t, h.issuer, holderDID, nil)}, w.nonce)
		}, string(credential.CodeHolderMismatch), ""},
		{"answer to a query the request has not", accepted, func(w wallet) string {
			vp, _ := h.holder.Present([]string{h.issue(t, h.issuer, holderDID, nil)}, w.clientID, w.nonce, time.Minute)
			tok, _ := json.Marshal(map[string][]string{"someone_else": {vp}})
			return string(tok)
		}, oid4vp.CodeMalformed, ""},
		{"not JSON", accepted, func(wallet) string { return "eyJ.not.json" }, oid4vp.CodeMalformed, ""},
		{"deeply nested", accepted, func(wallet) string { return strings.Repeat("[", 100) }, oid4vp.CodeMalformed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr := h.create(t, tt.rc)
			w, code, _ := h.fetch(t, cr)
			if code != http.StatusOK {
				t.Fatalf("fetch: %d", code)
			}
			token := tt.token(w)
			code, c := h.post(t, w, token)
			h.verifier.Dispatcher.Wait()
			events := h.rp.byRequest(cr.RequestID)
			if tt.code == "" {
				ev := events[exchange.StatusPresentationVerified]
				if code != http.StatusOK || len(ev.VerifiedCredentialsData) != 1 || ev.VerifiedCredentialsData[0].CredentialState.RevocationStatus != tt.revoke {
					t.Fatalf("response %d %s, events %+v", code, c, events)
				}
				return
			}
			if code != http.StatusBadRequest || c != tt.code {
				t.Fatalf("response: %d %q, want 400 %q", code, c, tt.code)
			}
			ev, ok := events[exchange.StatusPresentationError]
			if !ok || ev.Error == nil || ev.Error.Code != tt.code || events[exchange.StatusPresentationVerified].RequestID != "" {
				t.Fatalf("callbacks %+v", events)
			}
			// Used up: a valid answer now is refused too.
			good := h.present(t, w, h.holder, []string{h.issue(t, h.issuer, holderDID, nil)}, w.nonce)
			if code, c := h.post(t, w, good); code != http.StatusBadRequest || c != oid4vp.CodeUsed {
				t.Fatalf("answer after a refusal: %d %s", code, c)
			}
		})
	}
}

func TestPresentationExpiry(t *testing.T) {
	h := newHarness(t)
	rc := exchange.RequestedCredential{Type: "VerifiedEmployee"}
	late := h.create(t, rc)
	cr := h.create(t, rc)
	w, code, _ := h.fetch(t, cr)
	if code != http.StatusOK {
		t.Fatalf("fetch: %d", code)
	}
	h.env.Advance(exchange.DefaultLifetime + time.Second)
	if _, code, c := h.fetch(t, late); code != http.StatusBadRequest || c != oid4vp.CodeExpired {
		t.Fatalf("request_uri after expiry: %d %s", code, c)
	}
	token := h.present(t, w, h.holder, []string{h.issue(t, h.issuer, h.holder.Signer.DID(), nil)}, w.nonce)
	if code, c := h.post(t, w, token); code != http.StatusBadRequest || c != oid4vp.CodeExpired {
		t.Fatalf("response after expiry: %d %s", code, c)
	}
}

func TestCreateRefusals(t *testing.T) {
	h := newHarness(t)
	u := h.node.URL + exchange.APIPrefix + "/createPresentationRequest"
	good := h.createBody(exchange.RequestedCredential{Type: "VerifiedEmployee"})
	if code, _ := call(t, "POST", u, "", "application/json", good); code != http.StatusUnauthorized {
		t.Fatalf("no token: %d", code)
	}
	if code, _ := call(t, "POST", u, "wrong", "application/json", good); code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", code)
	}
	hostile := func(cbURL string) []byte {
		var pr exchange.PresentationRequest
		_ = json.Unmarshal(good, &pr)
		pr.Callback.URL = cbURL
		b, _ := json.Marshal(pr)
		return b
	}
	for name, body := range map[string][]byte{
		"not JSON":            []byte("{"),
		"nothing requested":   []byte(`{"registration":{"clientName":"x"},"requestedCredentials":[]}`),
		"no client name":      []byte(`{"requestedCredentials":[{"type":"T"}]}`),
		"metadata callback":   hostile("https://169.254.169.254/latest/meta-data"),
		"private callback":    hostile("https://10.0.0.8/cb"),
		"plain http callback": hostile("http://rp.example/cb"),
		"other authority":     []byte(`{"authority":"did:web:elsewhere.example","registration":{"clientName":"x"},"requestedCredentials":[{"type":"T"}]}`),
		"deeply nested":       []byte(strings.Repeat(`{"a":`, 50)),
		"over the size limit": bytes.Repeat([]byte(" "), 70<<10),
	} {
		code, resp := call(t, "POST", u, adminToken, "application/json", body)
		var e struct {
			Error struct {
				Code       string
				InnerError struct{ Code string } `json:"innererror"`
			}
		}
		if err := json.Unmarshal(resp, &e); code != http.StatusBadRequest || err != nil || e.Error.Code != "badRequest" || e.Error.InnerError.Code != "badOrMissingField" {
			t.Errorf("%s: %d %s", name, code, resp)
		}
	}
}
