package daemon

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/credtest"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/node/store/pebble"
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
