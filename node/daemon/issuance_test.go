package daemon

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/credtest"
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
			h, err := d.openIssuance(tt.creds, "https://node.example")
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
