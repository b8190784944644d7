package issuance_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/credtest"
	"github.com/ionode/ionode/exchange/issuance"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/exchange/oid4vci/oid4vcitest"
)

// recorder is the relying party's side of the callbacks: what the dispatcher was asked to deliver.
type recorder struct {
	mu   sync.Mutex
	sent []map[string]any
	cbs  []issuance.Callback
}

func (r *recorder) Send(_ context.Context, cb issuance.Callback, body any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, _ := json.Marshal(body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	r.sent, r.cbs = append(r.sent, m), append(r.cbs, cb)
}

func (r *recorder) statuses() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, m := range r.sent {
		out = append(out, m["requestStatus"].(string))
	}
	return out
}

type fixture struct {
	*oid4vcitest.Env
	svc *issuance.Service
	rp  *recorder
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	e := oid4vcitest.NewEnv(t, true)
	f := &fixture{Env: e, rp: &recorder{}}
	f.svc = &issuance.Service{Issuer: e.Issuer, Callbacks: f.rp}
	e.Issuer.Events = f.svc
	h := f.svc.Handler()
	e.Server.Mux.Handle(issuance.PathCreate, h)
	e.Server.Mux.Handle(issuance.PathStatus, h)
	return f
}

func (f *fixture) post(t *testing.T, body string) (int, map[string]any) {
	t.Helper()
	resp, err := f.HTTP.Post(f.Server.Origin()+issuance.PathCreate, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

func (f *fixture) get(t *testing.T, u string) (int, map[string]any) {
	t.Helper()
	resp, err := f.HTTP.Get(u)
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

// entraRequest is createIssuanceRequest as Microsoft's samples send it.
func entraRequest(authority, typ, pin string) string {
	req := map[string]any{
		"includeQRCode": false,
		"callback":      map[string]any{"url": "https://rp.example/api/issuer/callback", "state": "de19cb6b-36c1-45fe-9409-909a51292a9c", "headers": map[string]string{"api-key": "OVERRIDE"}},
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
	status, resp := f.post(t, entraRequest(f.Signer.DID(), "VerifiedEmployee", "3539"))
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
	if got := f.rp.statuses(); strings.Join(got, ",") != "request_retrieved,issuance_successful" {
		t.Fatalf("callbacks %v", got)
	}
	for k, m := range f.rp.sent {
		if m["requestId"] != id || m["state"] != "de19cb6b-36c1-45fe-9409-909a51292a9c" || f.rp.cbs[k].Headers["api-key"] != "OVERRIDE" {
			t.Fatalf("callback %v to %+v", m, f.rp.cbs[k])
		}
	}
	status, st := f.get(t, f.Server.Origin()+issuance.PathStatus+id)
	if status != http.StatusOK || st["requestStatus"] != issuance.StatusSuccessful || st["subject"] != holder.DID() {
		t.Fatalf("status %d %v", status, st)
	}
}

func TestIssuanceError(t *testing.T) {
	f := newFixture(t)
	holder := credtest.KeyDID(t, credential.EdDSA)
	_, resp := f.post(t, entraRequest(f.Signer.DID(), oid4vcitest.Employee, ""))
	_, err := f.redeem(t, resp["url"].(string), "", func(n string) string {
		return oid4vcitest.Proof(t, holder, map[string]any{"aud": "https://evil.example", "iat": f.Now().Unix(), "nonce": n})
	})
	if oid4vci.CodeOf(err) != oid4vci.CodeInvalidProof {
		t.Fatalf("err %v", err)
	}
	if got := f.rp.statuses(); strings.Join(got, ",") != "request_retrieved,issuance_error" {
		t.Fatalf("callbacks %v", got)
	}
	e := f.rp.sent[1]["error"].(map[string]any)
	if e["code"] != "ISSUANCE_FLOW_ERROR" || !strings.Contains(e["message"].(string), "invalid_proof") {
		t.Fatalf("error %v", e)
	}
}

func TestCreateIssuanceRequestRefusals(t *testing.T) {
	f := newFixture(t)
	did := f.Signer.DID()
	noCallbacks := &issuance.Service{Issuer: f.Issuer}
	tests := []struct {
		name   string
		body   string
		target string
	}{
		{"no type", entraRequest(did, "", ""), "type"},
		{"unknown type", entraRequest(did, "Passport", ""), "type"},
		{"another authority", entraRequest("did:web:contoso.com", "VerifiedEmployee", ""), "authority"},
		{"no authority", entraRequest("", "VerifiedEmployee", ""), "authority"},
		{"no client name", strings.Replace(entraRequest(did, "VerifiedEmployee", ""), `"clientName":"Verifiable Credential Expert Sample"`, `"clientName":""`, 1), "registration.clientName"},
		{"hashed pin", strings.Replace(entraRequest(did, "VerifiedEmployee", "1234"), `"value":"1234"`, `"value":"x","salt":"s","alg":"sha256","iterations":1`, 1), "pin"},
		{"pin length mismatch", strings.Replace(entraRequest(did, "VerifiedEmployee", "1234"), `"length":4`, `"length":6`, 1), "pin.length"},
		{"letters in the pin", entraRequest(did, "VerifiedEmployee", "12ab"), ""},
		{"claims.id", strings.Replace(entraRequest(did, "VerifiedEmployee", ""), `"given_name"`, `"id":"did:example:x","given_name"`, 1), "claims.id"},
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
		req, err := issuance.ParseRequest([]byte(entraRequest(did, "VerifiedEmployee", "")))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := noCallbacks.Create(context.Background(), req); err == nil || !strings.Contains(err.Error(), "callback") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("unknown request", func(t *testing.T) {
		if status, _ := f.get(t, f.Server.Origin()+issuance.PathStatus+"nope"); status != http.StatusNotFound {
			t.Fatalf("status %d", status)
		}
	})
}
