package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/internal/credtest"
)

const adminToken = "s3cret-admin-token"

func TestAPI(t *testing.T) {
	e := credtest.NewEnv(t)
	signer := e.WebIssuer(t, credential.EdDSA, "issuer")
	iss := &credential.Issuer{Signer: signer, Now: e.Now}
	mgr := &status.Manager{Store: &status.FileStore{Dir: t.TempDir()}, Issuer: iss, BaseURL: e.Server.Origin() + "/api/status"}
	if err := mgr.Create(t.Context(), "main", status.BitstringStatusList, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	core := &credential.Verifier{Resolver: e.Resolver, Now: e.Now}
	v := *core
	v.Status = &status.Checker{Client: e.Client, Verifier: core, TTL: time.Second}
	api := &httpapi.API{Verifier: &v, Issuer: iss, Status: mgr, StatusList: "main",
		AdminTokenSHA256: []string{httpapi.HashToken("old-token"), httpapi.HashToken(adminToken)}, MaxBody: 8 << 10}
	h := api.Handler()
	e.Server.Mux.Handle("/api/", http.StripPrefix("/api", h))

	call := func(method, path, token string, body any) *httptest.ResponseRecorder {
		t.Helper()
		var b []byte
		switch x := body.(type) {
		case string:
			b = []byte(x)
		default:
			b, _ = json.Marshal(x)
		}
		req := httptest.NewRequest(method, path, bytes.NewReader(b))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	holder := credtest.KeyDID(t, credential.ES256)
	issueBody := map[string]any{"format": "vc+jwt", "types": []string{"VerifiedEmployee"}, "credentialSubject": map[string]any{"id": holder.DID(), "name": "Alice"}, "status": true}

	// Admin routes refuse missing and wrong tokens.
	for _, tok := range []string{"", "wrong", adminToken + "x"} {
		if rec := call("POST", "/credentials/issue", tok, issueBody); rec.Code != http.StatusUnauthorized {
			t.Fatalf("token %q: %d", tok, rec.Code)
		}
		if rec := call("POST", "/status/main/1", tok, `{"revoked":true}`); rec.Code != http.StatusUnauthorized {
			t.Fatalf("status with token %q: %d", tok, rec.Code)
		}
	}
	rec := call("POST", "/credentials/issue", adminToken, issueBody)
	if rec.Code != http.StatusOK {
		t.Fatalf("issue: %d %s", rec.Code, rec.Body)
	}
	var issued struct {
		JWT              string            `json:"jwt"`
		CredentialStatus credential.Status `json:"credentialStatus"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &issued)
	if rec := call("POST", "/credentials/issue", "old-token", issueBody); rec.Code != http.StatusOK {
		t.Fatalf("rotated-out token still configured: %d", rec.Code)
	}

	verify := func(jwt string) credential.Result {
		t.Helper()
		rec := call("POST", "/credentials/verify", "", map[string]string{"jwt": jwt})
		if rec.Code != http.StatusOK {
			t.Fatalf("verify: %d %s", rec.Code, rec.Body)
		}
		var r credential.Result
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := verify(issued.JWT); !r.Valid || r.TransactionID == "" || len(r.Checks) < 6 {
		t.Fatalf("issued credential: %+v", r)
	}
	if r := verify("garbage"); r.Valid || r.Code != credential.CodeInvalidJWT {
		t.Fatalf("garbage: %+v", r)
	}

	// Revoke through the API; the verifier sees it once its cached list expires.
	path := "/status/main/" + issued.CredentialStatus.StatusListIndex
	if rec := call("POST", path, adminToken, `{"revoked":true}`); rec.Code != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	e.Advance(2 * time.Second)
	if r := verify(issued.JWT); r.Code != credential.CodeRevoked {
		t.Fatalf("after revocation: %s %s", r.Code, r.Detail)
	}
	if rec := call("POST", path, adminToken, `{"revoked":false}`); rec.Code != http.StatusNoContent {
		t.Fatalf("unrevoke: %d", rec.Code)
	}
	e.Advance(2 * time.Second)
	if r := verify(issued.JWT); !r.Valid {
		t.Fatalf("after unrevocation: %s %s", r.Code, r.Detail)
	}
	for _, tt := range []struct {
		path, body string
		code       int
	}{
		{"/status/nope/1", `{"revoked":true}`, http.StatusNotFound},
		{"/status/main/-1", `{"revoked":true}`, http.StatusBadRequest},
		{"/status/main/" + strconv.Itoa(1<<30), `{"revoked":true}`, http.StatusBadRequest},
		{"/status/main/1", `{}`, http.StatusBadRequest},
	} {
		if rec := call("POST", tt.path, adminToken, tt.body); rec.Code != tt.code {
			t.Errorf("%s %s: %d, want %d", tt.path, tt.body, rec.Code, tt.code)
		}
	}

	// Presentations.
	vc, _ := iss.Issue(credential.Claims{Subject: map[string]any{"id": holder.DID()}})
	vp, _ := (&credential.Issuer{Signer: holder, Now: e.Now}).Present([]string{vc}, "https://verifier.example", "abc", time.Minute)
	rec = call("POST", "/presentations/verify", "", map[string]string{"jwt": vp, "nonce": "abc", "audience": "https://verifier.example"})
	var pr credential.Result
	_ = json.Unmarshal(rec.Body.Bytes(), &pr)
	if !pr.Valid {
		t.Fatalf("presentation: %+v", pr)
	}
	rec = call("POST", "/presentations/verify", "", map[string]string{"jwt": vp, "nonce": "other", "audience": "https://verifier.example"})
	_ = json.Unmarshal(rec.Body.Bytes(), &pr)
	if pr.Code != credential.CodeNonceMismatch {
		t.Fatalf("nonce: %s", pr.Code)
	}

	// Body limit and malformed bodies.
	if rec := call("POST", "/credentials/verify", "", `{"jwt":"`+strings.Repeat("a", 9<<10)+`"}`); rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("large body: %d", rec.Code)
	}
	if rec := call("POST", "/credentials/verify", "", `not json`); rec.Code != http.StatusBadRequest {
		t.Fatalf("not JSON: %d", rec.Code)
	}
	if rec := call("GET", "/status/main", "", ""); rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/vc+jwt" {
		t.Fatalf("list credential: %d %s", rec.Code, rec.Header())
	}
}
