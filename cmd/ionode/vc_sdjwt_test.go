package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/credential/status/tokenstatus"
	"github.com/ionode/ionode/resolver/web"
)

func TestVCSDJWT(t *testing.T) {
	c := newCLIEnv(t)
	hk, err := credential.GenerateKey(credential.ES256)
	if err != nil {
		t.Fatal(err)
	}
	holderFile := filepath.Join(c.dir, "holder.jwk")
	b, _ := credential.MarshalPrivateJWK(hk)
	if err := os.WriteFile(holderFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	issued := strings.TrimSpace(mustRun(t, "vc", "issue", "--format", "dc+sd-jwt", "--key", c.keyFile, "--kid", c.issuer.KID,
		"--vct", "urn:example:employee:1", "--disclosable", "name,birthdate", "--claim", "name=Alice", "--claim", "birthdate=1990-01-01",
		"--claim", "employer=ACME", "--holder-key", holderFile, "--valid-for", "1h"))
	if strings.Count(issued, "~") != 3 {
		t.Fatalf("issued %s", issued)
	}
	pres := strings.TrimSpace(mustRun(t, "vc", "present", "--disclose", "name", "--holder-key", holderFile,
		"--audience", "https://verifier.example", "--nonce", "n-7", issued))
	out := mustRun(t, append([]string{"vc", "verify", "--audience", "https://verifier.example", "--nonce", "n-7", pres}, c.trust...)...)
	if !strings.Contains(out, "valid SD-JWT VC") || !strings.Contains(out, "disclosed: name\n") || !strings.Contains(out, c.issuer.DID()) {
		t.Fatalf("verify output: %s", out)
	}
	var r sdjwt.Result
	if err := json.Unmarshal([]byte(mustRun(t, append([]string{"vc", "verify", "--json", "--audience", "https://verifier.example", "--nonce", "n-7", pres}, c.trust...)...)), &r); err != nil || !r.Valid || r.Claims["birthdate"] != nil || r.Claims["name"] != "Alice" || r.Claims["employer"] != "ACME" {
		t.Fatalf("verify --json: %+v %v", r, err)
	}
	// Another nonce: not valid, exit 4 with the code.
	_, errOut, code := runCLI(t, append([]string{"vc", "verify", "--audience", "https://verifier.example", "--nonce", "other", pres}, c.trust...)...)
	if code != exitNotValid || !strings.Contains(errOut, "nonce_mismatch") {
		t.Fatalf("wrong nonce: exit %d %s", code, errOut)
	}
	// Without the holder's key binding where the verifier asks for it.
	bare := strings.TrimSpace(mustRun(t, "vc", "present", "--disclose", "name", issued))
	if _, errOut, code := runCLI(t, append([]string{"vc", "verify", "--audience", "https://verifier.example", "--nonce", "n-7", bare}, c.trust...)...); code != exitNotValid || !strings.Contains(errOut, "key_binding_required") {
		t.Fatalf("no KB-JWT: exit %d %s", code, errOut)
	}
	for _, args := range [][]string{
		{"vc", "issue", "--format", "dc+sd-jwt", "--key", c.keyFile, "--kid", c.issuer.KID, "--claim", "name=A"},                                                  // no --vct
		{"vc", "issue", "--format", "dc+sd-jwt", "--key", c.keyFile, "--kid", c.issuer.KID, "--vct", "urn:x", "--claim", "name=A", "--disclosable", "nmae"},       // no such claim
		{"vc", "issue", "--format", "dc+sd-jwt", "--key", c.keyFile, "--kid", c.issuer.KID, "--vct", "urn:x", "--claim", "name=A", "--status-uri", "https://x/s"}, // no index
		{"vc", "present", "--disclose", "name", "--holder-key", holderFile, issued},                                                                               // no audience
		{"vc", "present", "--disclose", "name", "eyJ.a.b"},                                                                                                        // not an SD-JWT
	} {
		if _, errOut, code := runCLI(t, args...); code != exitInvalidInput {
			t.Errorf("%v: exit %d %s", args, code, errOut)
		}
	}

	// vc revoke finds the token status list entry of an SD-JWT VC.
	withStatus := strings.TrimSpace(mustRun(t, "vc", "issue", "--format", "dc+sd-jwt", "--key", c.keyFile, "--kid", c.issuer.KID,
		"--vct", "urn:example:employee:1", "--claim", "name=Alice", "--status-uri", "https://node.example/status/tokens", "--status-index", "4711"))
	entry, err := statusOf(withStatus)
	if err != nil {
		t.Fatal(err)
	}
	if list, index, err := listAndIndex(entry); err != nil || list != "tokens" || index != 4711 {
		t.Fatalf("revoke entry: %s %d %v", list, index, err)
	}
	if _, err := statusOf(issued); err == nil {
		t.Fatal("status of a credential without status")
	}
}

// TestVCSDJWTThroughNode: an SD-JWT VC with an entry in a node's token status list verifies at the node
// (--remote), is revoked with `vc revoke` through the node's admin route, and then fails as revoked.
func TestVCSDJWTThroughNode(t *testing.T) {
	c := newCLIEnv(t)
	const token = "cli-admin-token"
	iss := &credential.Issuer{Signer: c.issuer}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mgr := &status.Manager{Store: &status.FileStore{Dir: t.TempDir()}, Issuer: iss, Tokens: &tokenstatus.Signer{Signer: c.issuer}, BaseURL: srv.URL + "/status"}
	if err := mgr.Create(t.Context(), "tokens", status.TokenStatusList, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	entry, err := mgr.Allocate(t.Context(), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	// The node fetches its token list from the plain-HTTP test node, uncached.
	trusting := c.env.Server.Client()
	fetcher := &web.Client{Guard: trusting.Guard, AllowHTTPLoopback: true, TLSConfig: trusting.TLSConfig}
	sd := &sdjwt.Verifier{Resolver: c.env.Resolver, Fetcher: fetcher}
	sd.Status = &tokenstatus.Checker{Fetcher: fetcher, Keys: sd, DefaultTTL: time.Nanosecond, MaxTTL: time.Nanosecond}
	mux.Handle("/", (&httpapi.API{Verifier: &credential.Verifier{Resolver: c.env.Resolver}, SDJWT: sd, Status: mgr, AdminTokenSHA256: []string{httpapi.HashToken(token)}}).Handler())

	issued := strings.TrimSpace(mustRun(t, "vc", "issue", "--format", "dc+sd-jwt", "--key", c.keyFile, "--kid", c.issuer.KID,
		"--vct", "urn:example:employee:1", "--claim", "name=Alice", "--disclosable", "name",
		"--status-uri", entry.StatusListCredential, "--status-index", entry.StatusListIndex))
	out := mustRun(t, "vc", "verify", "--remote", "--node", srv.URL, issued)
	if !strings.Contains(out, "valid SD-JWT VC") || !strings.Contains(out, "disclosed: name") {
		t.Fatalf("remote verify: %s", out)
	}
	mustRun(t, "vc", "revoke", "--node", srv.URL, "--admin-token", token, issued)
	if _, errOut, code := runCLI(t, "vc", "verify", "--remote", "--node", srv.URL, issued); code != exitNotValid || !strings.Contains(errOut, "revoked") {
		t.Fatalf("after revocation: exit %d %s", code, errOut)
	}
}
