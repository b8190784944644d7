package daemon

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/key"
)

// TestOpenIssuanceSDJWT: the node's issuer offers dc+sd-jwt configurations, signed with the issuer key.
func TestOpenIssuanceSDJWT(t *testing.T) {
	dir := t.TempDir()
	st, err := pebble.Open(filepath.Join(dir, "store"), pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(t.Context()) })
	cfgFile := filepath.Join(dir, "offers.json")
	cfg := `{"credential_configurations":{"Identity":{"format":"dc+sd-jwt","vct":"urn:eudi:pid:1","disclosable":["given_name"]}}}`
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	signer := credtest.KeyDID(t, credential.ES256K)
	d := &Daemon{log: slog.New(slog.DiscardHandler), Store: st}
	d.cfg.Credentials = CredentialConfig{OID4VCIConfigFile: cfgFile}
	requests := &exchange.Requests{Sessions: st}
	wallet, err := d.openIssuance(&credentials{issuer: &credential.Issuer{Signer: signer}}, "https://node.example", exchange.NewMux(requests, nil), requests, &exchange.Dispatcher{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	wallet.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, oid4vci.PathIssuerMetadata, nil))
	var md struct {
		Configs map[string]struct {
			Format string   `json:"format"`
			VCT    string   `json:"vct"`
			Algs   []string `json:"credential_signing_alg_values_supported"`
		} `json:"credential_configurations_supported"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &md); err != nil {
		t.Fatal(err)
	}
	c := md.Configs["Identity"]
	if c.Format != "dc+sd-jwt" || c.VCT != "urn:eudi:pid:1" || len(c.Algs) != 1 || c.Algs[0] != credential.ES256K {
		t.Fatalf("metadata %s", rec.Body)
	}
}

// TestOpenExchangeSDJWT: the node's presentation verifier takes dc+sd-jwt requests with the node's SD-JWT
// verifier, and refuses them without one.
func TestOpenExchangeSDJWT(t *testing.T) {
	dir := t.TempDir()
	st, err := pebble.Open(filepath.Join(dir, "store"), pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(t.Context()) })
	verifier := credtest.KeyDID(t, credential.ES256)
	jwk, err := credential.MarshalPrivateJWK(verifier.PrivateKey())
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "verifier.jwk")
	if err := os.WriteFile(keyFile, jwk, 0o600); err != nil {
		t.Fatal(err)
	}
	const admin = "admin-token"
	d := &Daemon{log: slog.New(slog.DiscardHandler), Store: st, methods: &resolver.Dispatcher{Methods: map[string]resolver.Method{"key": key.Key{}}}}
	d.cfg.Credentials = CredentialConfig{VerifierKeyFile: keyFile, VerifierKID: verifier.KID, AdminTokenHashes: []string{httpapi.HashToken(admin)}}
	body := `{"registration":{"clientName":"RP"},"requestedCredentials":[{"type":"urn:eudi:pid:1","format":"dc+sd-jwt","claims":[{"path":["given_name"]}]}]}`
	for _, tt := range []struct {
		name  string
		creds *credentials
		want  int
	}{
		{"with the SD-JWT verifier", &credentials{verifier: &credential.Verifier{}, sdjwt: &sdjwt.Verifier{}}, http.StatusCreated},
		{"without", &credentials{verifier: &credential.Verifier{}}, http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mux, _, _, err := d.openExchange(t.Context(), tt.creds, "https://node.example")
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodPost, exchange.APIPrefix+"/createPresentationRequest", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+admin)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("createPresentationRequest: %d %s", rec.Code, rec.Body)
			}
		})
	}
}
