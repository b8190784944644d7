package daemon

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/key"
	"github.com/ionode/ionode/resolver/web"
)

// TestOpenIssuanceRefusals: the wallet issuer starts only with a configurations file, the issuer key and
// a store that keeps sessions.
func TestOpenIssuanceRefusals(t *testing.T) {
	cfgFile := filepath.Join(t.TempDir(), "offers.json")
	if err := os.WriteFile(cfgFile, []byte(`{"credential_configurations":{"Badge":{"format":"jwt_vc_json","types":["Badge"]}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	issuer := &credentials{issuer: &credential.Issuer{Signer: credtest.KeyDID(t, credential.EdDSA)}}
	tests := []struct {
		name  string
		file  string
		creds *credentials
		want  string // "" = no handler, no error
	}{
		{"not configured", "", issuer, ""},
		{"no issuer key", cfgFile, &credentials{}, "--issuer-key-file"},
		{"store without sessions", cfgFile, issuer, "keeps no request sessions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Daemon{log: slog.New(slog.DiscardHandler)}
			d.cfg.Credentials.OID4VCIConfigFile = tt.file
			requests := &exchange.Requests{}
			h, err := d.openIssuance(tt.creds, "https://node.example", exchange.NewMux(requests, nil), requests, &exchange.Dispatcher{})
			if tt.want == "" {
				if h != nil || err != nil {
					t.Fatalf("handler %v, err %v", h, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want %q", err, tt.want)
			}
		})
	}
}

// TestOpenIssuanceServes: with a Pebble store, the issuer key and its status list, the wired routes run a
// whole exchange: createIssuanceRequest (admin token), the offer, token, nonce, credential; the request's
// status follows.
func TestOpenIssuanceServes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := pebble.Open(filepath.Join(dir, "store"), pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(context.Background()) })
	cfgFile := filepath.Join(dir, "offers.json")
	if err := os.WriteFile(cfgFile, []byte(`{"credential_configurations":{"Badge":{"format":"jwt_vc_json","types":["Badge"],"status":true}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	signer := credtest.KeyDID(t, credential.ES256K)
	iss := &credential.Issuer{Signer: signer}
	mgr := &status.Manager{Store: &status.FileStore{Dir: filepath.Join(dir, "status")}, Issuer: iss, BaseURL: "https://node.example/status"}
	if err := mgr.Create(ctx, "revocation", status.StatusList2021, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	const admin = "admin-token"
	d := &Daemon{log: slog.New(slog.DiscardHandler), Store: st, methods: &resolver.Dispatcher{Methods: map[string]resolver.Method{"key": key.Key{}}}}
	d.cfg.Credentials = CredentialConfig{OID4VCIConfigFile: cfgFile, StatusList: "revocation", AdminTokenHashes: []string{httpapi.HashToken(admin)}}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	requests := &exchange.Requests{Sessions: st}
	api := exchange.NewMux(requests, d.cfg.Credentials.AdminTokenHashes)
	callbacks := &exchange.Dispatcher{Client: exchange.NewCallbackClient(web.Guard{}, false), Guard: web.Guard{}, Logger: d.log}
	wallet, err := d.openIssuance(&credentials{issuer: iss, status: mgr}, srv.URL, api, requests, callbacks)
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/v1.0/verifiableCredentials/", api)
	mux.Handle("/", wallet)

	call := func(method, url, auth, contentType, body string, out any) int {
		t.Helper()
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: %v", method, url, err)
		}
		return resp.StatusCode
	}
	create := `{"authority":"` + signer.DID() + `","registration":{"clientName":"HR"},"type":"Badge","claims":{"name":"Alice"},"includeQRCode":true}`
	var created struct{ RequestID, URL, QRCode string }
	if code := call("POST", srv.URL+"/v1.0/verifiableCredentials/createIssuanceRequest", "", "application/json", create, &map[string]any{}); code != http.StatusUnauthorized {
		t.Fatalf("without the admin token: %d", code)
	}
	if code := call("POST", srv.URL+"/v1.0/verifiableCredentials/createIssuanceRequest", admin, "application/json", create, &created); code != http.StatusCreated || !strings.HasPrefix(created.QRCode, "data:image/png;base64,") {
		t.Fatalf("create: %d %+v", code, created)
	}
	offerURL, _ := url.QueryUnescape(strings.TrimPrefix(created.URL, "openid-credential-offer://?credential_offer_uri="))
	var offer struct {
		Grants map[string]map[string]any `json:"grants"`
	}
	call("GET", offerURL, "", "", "", &offer)
	code := offer.Grants[oid4vci.GrantPreAuthorized]["pre-authorized_code"].(string)
	var tok oid4vci.TokenResponse
	call("POST", srv.URL+oid4vci.PathToken, "", "application/x-www-form-urlencoded", url.Values{"grant_type": {oid4vci.GrantPreAuthorized}, "pre-authorized_code": {code}}.Encode(), &tok)
	var nonce struct {
		CNonce string `json:"c_nonce"`
	}
	call("POST", srv.URL+oid4vci.PathNonce, "", "", "", &nonce)
	holder := credtest.KeyDID(t, credential.EdDSA)
	claims, _ := json.Marshal(map[string]any{"aud": srv.URL, "iat": time.Now().Unix(), "nonce": nonce.CNonce})
	proof, _ := holder.Sign(claims, oid4vci.ProofType)
	body, _ := json.Marshal(map[string]any{"credential_configuration_id": "Badge", "proofs": map[string]any{"jwt": []string{proof}}})
	var cred oid4vci.CredentialResponse
	if code := call("POST", srv.URL+oid4vci.PathCredential, tok.AccessToken, "application/json", string(body), &cred); code != http.StatusOK || len(cred.Credentials) != 1 {
		t.Fatalf("credential: %d %+v", code, cred)
	}
	r := (&credential.Verifier{Resolver: d.methods, IgnoreStatus: true}).VerifyCredential(ctx, cred.Credentials[0].Credential)
	if !r.Valid || r.Credential.Subject != holder.DID() || len(r.Credential.Status) != 1 {
		t.Fatalf("credential: %v %s %+v", r.Valid, r.Code, r.Credential)
	}
	var ev map[string]any
	if code := call("GET", srv.URL+"/v1.0/verifiableCredentials/requests/"+created.RequestID, admin, "", "", &ev); code != http.StatusOK || ev["requestStatus"] != "issuance_successful" {
		t.Fatalf("status: %d %v", code, ev)
	}
}
