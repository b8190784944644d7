package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/internal/credtest"
)

// TestSDJWTRoutes: the verification routes take SD-JWT VCs too; the presentation route requires the
// KB-JWT, and the audit log of the node keeps no claim.
func TestSDJWTRoutes(t *testing.T) {
	e := credtest.NewEnv(t)
	signer := e.WebIssuer(t, credential.ES256, "sd-api")
	hk, _ := credential.GenerateKey(credential.ES256)
	holder, _ := credential.NewBareSigner("", hk)
	var audit bytes.Buffer
	sd := &sdjwt.Verifier{Resolver: e.Resolver, Fetcher: e.Client, Now: e.Now, Logger: credtest.AuditLogger(&audit)}
	api := &httpapi.API{Verifier: &credential.Verifier{Resolver: e.Resolver, Now: e.Now}, SDJWT: sd, Audience: "https://rp.example"}
	h := api.Handler()
	post := func(path string, body any) sdjwt.Result {
		t.Helper()
		b, _ := json.Marshal(body)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, bytes.NewReader(b)))
		var r sdjwt.Result
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &r) != nil || r.TransactionID == "" {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		return r
	}
	issued, err := (&sdjwt.Issuer{Signer: signer, Now: e.Now}).Issue(t.Context(), sdjwt.Claims{
		VCT: "urn:example:pid:1", Claims: map[string]any{"given_name": "Erika", "birthdate": "1963-08-12"},
		Disclosable: []string{"given_name", "birthdate"}, HolderKey: holder.Public(), ValidUntil: e.Now().Add(time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := post("/credentials/verify", map[string]string{"jwt": issued}); !r.Valid || len(r.Disclosed) != 2 {
		t.Fatalf("credential: %+v", r)
	}
	pres, err := sdjwt.Present(issued, []string{"given_name"}, &sdjwt.KeyBinding{Signer: holder, Audience: "https://rp.example", Nonce: "n-9", Now: e.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if r := post("/presentations/verify", map[string]string{"jwt": pres, "nonce": "n-9"}); !r.Valid || r.Claims["given_name"] != "Erika" || r.Claims["birthdate"] != nil {
		t.Fatalf("presentation: %+v", r)
	}
	bare, _ := sdjwt.Present(issued, []string{"given_name"}, nil)
	if r := post("/presentations/verify", map[string]string{"jwt": bare, "nonce": "n-9"}); r.Valid || r.Code != sdjwt.CodeKeyBindingRequired {
		t.Fatalf("presentation without KB-JWT: %+v", r)
	}
	if strings.Contains(audit.String(), "Erika") || strings.Contains(audit.String(), "1963-08-12") || !strings.Contains(audit.String(), signer.DID()) {
		t.Fatalf("audit log: %s", audit.String())
	}
}
