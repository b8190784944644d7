package issuance_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/issuance"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/oid4vcitest"
)

// relyingParty is the relying party's callback endpoint on the test server.
type relyingParty struct {
	mu      sync.Mutex
	events  []exchange.Event
	headers []http.Header
}

func (rp *relyingParty) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var ev exchange.Event
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rp.mu.Lock()
	defer rp.mu.Unlock()
	rp.events, rp.headers = append(rp.events, ev), append(rp.headers, r.Header.Clone())
}

// statuses lists the statuses received, sorted: the dispatcher delivers in the background, in any order.
func (rp *relyingParty) statuses() []string {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	var out []string
	for _, ev := range rp.events {
		out = append(out, string(ev.RequestStatus))
	}
	slices.Sort(out)
	return out
}

// event returns the event of a status.
func (rp *relyingParty) event(t *testing.T, status exchange.Status) exchange.Event {
	t.Helper()
	rp.mu.Lock()
	defer rp.mu.Unlock()
	for _, ev := range rp.events {
		if ev.RequestStatus == status {
			return ev
		}
	}
	t.Fatalf("no %s callback", status)
	return exchange.Event{}
}

type fixture struct {
	*oid4vcitest.Env
	svc        *issuance.Service
	rp         *relyingParty
	dispatcher *exchange.Dispatcher
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	e := oid4vcitest.NewEnv(t, true)
	f := &fixture{Env: e, rp: &relyingParty{}}
	client := e.Server.Client()
	client.MaxRedirects = -1
	f.dispatcher = &exchange.Dispatcher{Client: client, Guard: client.Guard, Backoff: time.Millisecond}
	requests := &exchange.Requests{Sessions: e.Sessions, Now: e.Now}
	f.svc = &issuance.Service{Issuer: e.Issuer, Requests: requests, Callbacks: f.dispatcher}
	e.Issuer.Events = f.svc
	m := exchange.NewMux(requests, []string{httpapi.HashToken(adminToken)})
	f.svc.Mount(m)
	e.Server.Mux.Handle(exchange.APIPrefix+"/", m)
	e.Server.Mux.Handle("/rp/callback", f.rp)
	return f
}

const adminToken = "s3cret-admin-token"

func (f *fixture) post(t *testing.T, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.Server.Origin()+issuance.PathCreate, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := f.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

func (f *fixture) get(t *testing.T, u string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := f.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

func decode(t *testing.T, resp *http.Response) (int, map[string]any) {
	t.Helper()
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%d %s: %v", resp.StatusCode, data, err)
	}
	return resp.StatusCode, m
}

// entraRequest is createIssuanceRequest as Microsoft's samples send it, with the callback on the test
// server.
func (f *fixture) entraRequest(authority, typ, pin string) string {
	return entraRequest(f.Server.Origin()+"/rp/callback", authority, typ, pin)
}

func entraRequest(callback, authority, typ, pin string) string {
	req := map[string]any{
		"includeQRCode": false,
		"callback":      map[string]any{"url": callback, "state": "de19cb6b-36c1-45fe-9409-909a51292a9c", "headers": map[string]string{"api-key": "OVERRIDE"}},
		"authority":     authority,
		"registration":  map[string]any{"clientName": "Verifiable Credential Expert Sample"},
		"type":          typ,
		"manifest":      "https://verifiedid.did.msidentity.com/v1.0/tenants/x/verifiableCredentials/contracts/y/manifest",
		"claims":        map[string]any{"given_name": "Megan", "family_name": "Bowen"},
	}
	if pin != "" {
		req["pin"] = map[string]any{"value": pin, "length": len(pin)}
	}
	b, _ := json.Marshal(req)
	return string(b)
}

// redeem fetches the offer behind a request's url and runs the wallet's side with proofs made by sign.
func (f *fixture) redeem(t *testing.T, offerURL, pin string, sign func(nonce string) string) (string, error) {
	t.Helper()
	ref, _ := url.QueryUnescape(strings.TrimPrefix(offerURL, oid4vci.OfferScheme+"?credential_offer_uri="))
	status, offer := f.get(t, ref)
	if status != http.StatusOK {
		t.Fatalf("offer: %d %v", status, offer)
	}
	code := offer["grants"].(map[string]any)[oid4vci.GrantPreAuthorized].(map[string]any)["pre-authorized_code"].(string)
	ids := offer["credential_configuration_ids"].([]any)
	return f.Exchange(t, code, pin, ids[0].(string), sign)
}

func TestCreateIssuanceRequest(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	holder := credtest.KeyDID(t, credential.EdDSA)
	good := func(n string) string {
		return oid4vcitest.Proof(t, holder, map[string]any{"aud": f.Issuer.URL, "iat": f.Now().Unix(), "nonce": n})
	}
	status, resp := f.post(t, f.entraRequest(f.Signer.DID(), "VerifiedEmployee", "3539"))
	if status != http.StatusCreated {
		t.Fatalf("%d %v", status, resp)
	}
	id, _ := resp["requestId"].(string)
	u, _ := resp["url"].(string)
	if id == "" || !strings.HasPrefix(u, oid4vci.OfferScheme+"?credential_offer_uri=") || resp["expiry"].(float64) != float64(f.Now().Unix()+300) {
		t.Fatalf("response %v", resp)
	}
	jwt, err := f.redeem(t, u, "3539", good)
	if err != nil {
		t.Fatal(err)
	}
	r := f.Verifier(f.Now).VerifyCredential(ctx, jwt)
	if !r.Valid || r.Credential.Subject != holder.DID() || !strings.Contains(string(r.Credential.Claims), `"given_name":"Megan"`) {
		t.Fatalf("credential: %v %s %s", r.Valid, r.Code, r.Credential.Claims)
	}
	f.dispatcher.Wait()
	if got := f.rp.statuses(); strings.Join(got, ",") != "issuance_successful,request_retrieved" {
		t.Fatalf("callbacks %v", got)
	}
	for k, ev := range f.rp.events {
		if ev.RequestID != id || ev.State != "de19cb6b-36c1-45fe-9409-909a51292a9c" || f.rp.headers[k].Get("api-key") != "OVERRIDE" {
			t.Fatalf("callback %+v with %v", ev, f.rp.headers[k])
		}
	}
	if ev := f.rp.event(t, exchange.StatusIssuanceSuccessful); ev.Subject != holder.DID() {
		t.Fatalf("issuance_successful %+v", ev)
	}
	status, st := f.get(t, f.Server.Origin()+exchange.APIPrefix+"/requests/"+id)
	if status != http.StatusOK || st["requestStatus"] != string(exchange.StatusIssuanceSuccessful) || st["subject"] != holder.DID() {
		t.Fatalf("status %d %v", status, st)
	}
}

func TestIssuanceError(t *testing.T) {
	f := newFixture(t)
	holder := credtest.KeyDID(t, credential.EdDSA)
	_, resp := f.post(t, f.entraRequest(f.Signer.DID(), oid4vcitest.Employee, ""))
	_, err := f.redeem(t, resp["url"].(string), "", func(n string) string {
		return oid4vcitest.Proof(t, holder, map[string]any{"aud": "https://evil.example", "iat": f.Now().Unix(), "nonce": n})
	})
	if oid4vci.CodeOf(err) != oid4vci.CodeInvalidProof {
		t.Fatalf("err %v", err)
	}
	f.dispatcher.Wait()
	if got := f.rp.statuses(); strings.Join(got, ",") != "issuance_error,request_retrieved" {
		t.Fatalf("callbacks %v", got)
	}
	if e := f.rp.event(t, exchange.StatusIssuanceError).Error; e == nil || e.Code != "ISSUANCE_FLOW_ERROR" || !strings.Contains(e.Message, "invalid_proof") {
		t.Fatalf("error %+v", e)
	}
}

func TestCreateIssuanceRequestRefusals(t *testing.T) {
	f := newFixture(t)
	did := f.Signer.DID()
	noCallbacks := &issuance.Service{Issuer: f.Issuer, Requests: &exchange.Requests{Sessions: f.Sessions}}
	tests := []struct {
		name   string
		body   string
		target string
	}{
		{"no type", f.entraRequest(did, "", ""), "type"},
		{"unknown type", f.entraRequest(did, "Passport", ""), "type"},
		{"another authority", f.entraRequest("did:web:contoso.com", "VerifiedEmployee", ""), "authority"},
		{"no authority", f.entraRequest("", "VerifiedEmployee", ""), "authority"},
		{"no client name", strings.Replace(f.entraRequest(did, "VerifiedEmployee", ""), `"clientName":"Verifiable Credential Expert Sample"`, `"clientName":""`, 1), "registration.clientName"},
		{"hashed pin", strings.Replace(f.entraRequest(did, "VerifiedEmployee", "1234"), `"value":"1234"`, `"value":"x","salt":"s","alg":"sha256","iterations":1`, 1), "pin"},
		{"pin length mismatch", strings.Replace(f.entraRequest(did, "VerifiedEmployee", "1234"), `"length":4`, `"length":6`, 1), "pin.length"},
		{"callback to a private address", strings.Replace(f.entraRequest(did, "VerifiedEmployee", ""), f.Server.Origin()+"/rp/callback", "https://10.0.0.1/cb", 1), "callback.url"},
		{"letters in the pin", f.entraRequest(did, "VerifiedEmployee", "12ab"), ""},
		{"claims.id", strings.Replace(f.entraRequest(did, "VerifiedEmployee", ""), `"given_name"`, `"id":"did:example:x","given_name"`, 1), "claims.id"},
		{"not JSON", `{"type":`, ""},
		{"too deep", `{"claims":` + strings.Repeat(`{"a":`, 20) + `1` + strings.Repeat(`}`, 21), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, resp := f.post(t, tt.body)
			if status != http.StatusBadRequest {
				t.Fatalf("%d %v", status, resp)
			}
			e := resp["error"].(map[string]any)
			inner, _ := e["innererror"].(map[string]any)
			if e["code"] != "badRequest" || (tt.target != "" && inner["target"] != tt.target) {
				t.Fatalf("error %v", e)
			}
		})
	}
	t.Run("callback without a dispatcher", func(t *testing.T) {
		req, err := issuance.ParseRequest([]byte(f.entraRequest(did, "VerifiedEmployee", "")))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := noCallbacks.Create(context.Background(), req); err == nil || !strings.Contains(err.Error(), "callback") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("unknown request", func(t *testing.T) {
		if status, _ := f.get(t, f.Server.Origin()+exchange.APIPrefix+"/requests/nope"); status != http.StatusNotFound {
			t.Fatalf("status %d", status)
		}
	})
}
