package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/resolver/web"
	"github.com/ionode/ionode/sidetree"
)

// writeSignerKey writes a signer's private key as a 0600 JWK file, as `ionode keys generate` does.
func writeSignerKey(t *testing.T, dir, name string, s *credential.Signer) string {
	t.Helper()
	b, err := credential.MarshalPrivateJWK(s.PrivateKey())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// cliEnv is a did:web issuer on a local HTTPS server with its own CA, its key file, a holder, and the
// flags letting the CLI reach and trust that server.
type cliEnv struct {
	env     *credtest.Env
	dir     string
	issuer  *credential.Signer
	keyFile string
	holder  *credential.Signer
	trust   []string // --allow-loopback --ca-file <CA>
}

func newCLIEnv(t *testing.T) *cliEnv {
	t.Helper()
	e := credtest.NewEnv(t)
	dir := t.TempDir()
	c := &cliEnv{env: e, dir: dir, issuer: e.WebIssuer(t, credential.ES256K, "issuer"), holder: credtest.KeyDID(t, credential.EdDSA)}
	c.keyFile = writeSignerKey(t, dir, "issuer.jwk", c.issuer)
	c.trust = []string{"--allow-loopback", "--ca-file", e.Server.WriteCA(t, dir)}
	return c
}

// mustRun runs the CLI and fails unless it exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("ionode %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func TestVCIssueVerifyLocal(t *testing.T) {
	c := newCLIEnv(t)
	jwt := strings.TrimSpace(mustRun(t, "vc", "issue", "--key", c.keyFile, "--kid", c.issuer.KID, "--type", "VerifiedEmployee",
		"--subject-id", c.holder.DID(), "--claim", "name=Alice", "--valid-for", "1h"))
	out := mustRun(t, append([]string{"vc", "verify", jwt}, c.trust...)...)
	if !strings.Contains(out, "valid credential") || !strings.Contains(out, c.issuer.DID()) || !strings.Contains(out, "VerifiedEmployee") {
		t.Fatalf("verify output: %s", out)
	}
	var r credential.Result
	if err := json.Unmarshal([]byte(mustRun(t, append([]string{"vc", "verify", "--json", jwt}, c.trust...)...)), &r); err != nil || !r.Valid || r.TransactionID == "" {
		t.Fatalf("verify --json: %+v %v", r, err)
	}

	// did:jwk issuer derived from the key, VC 2.0 format, verified offline; --json issue output.
	var issued struct{ JWT, Issuer, Kid string }
	if err := json.Unmarshal([]byte(mustRun(t, "vc", "issue", "--json", "--key", c.keyFile, "--kid", "did:jwk", "--format", "vc+jwt",
		"--subject-json", `{"id":"`+c.holder.DID()+`","degree":{"type":"BachelorDegree"}}`)), &issued); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(issued.Issuer, "did:jwk:") || issued.Kid != issued.Issuer+"#0" {
		t.Fatalf("did:jwk issue: %+v", issued)
	}
	mustRun(t, "vc", "verify", issued.JWT)

	// A long-form did:ion issuer, resolved offline and through a node's GET /identifiers.
	ionIssuer := c.env.IONDID(t, credential.EdDSA)
	ionKey := writeSignerKey(t, c.dir, "ion.jwk", ionIssuer)
	ionJWT := strings.TrimSpace(mustRun(t, "vc", "issue", "--key", ionKey, "--kid", ionIssuer.KID, "--subject-id", c.holder.DID()))
	mustRun(t, "vc", "verify", ionJWT)
	router := http.NewServeMux()
	nodeAPI := &node.Routes{API: &node.API{Network: sidetree.Regtest(), Resolver: &ion.Resolver{Network: sidetree.Regtest(), Log: credtest.EmptyLog{}}}}
	router.Handle("/", nodeAPI.Handler())
	ionNode := httptest.NewServer(router)
	defer ionNode.Close()
	mustRun(t, "vc", "verify", ionJWT, "--node", ionNode.URL)

	// A presentation by the holder.
	vp, err := (&credential.Issuer{Signer: c.holder}).Present([]string{jwt}, "https://verifier.example", "n-1", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	out = mustRun(t, append([]string{"vc", "verify", "--presentation", "--audience", "https://verifier.example", "--nonce", "n-1", vp}, c.trust...)...)
	if !strings.Contains(out, "valid presentation by "+c.holder.DID()) {
		t.Fatalf("presentation output: %s", out)
	}

	tampered := jwt[:len(jwt)-6] + strings.Repeat("A", 6)
	expired, err := (&credential.Issuer{Signer: c.issuer, Now: func() time.Time { return time.Now().Add(-48 * time.Hour) }}).Issue(credential.Claims{
		Subject: map[string]any{"id": c.holder.DID()}, ValidUntil: time.Now().Add(-24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	worldReadable := filepath.Join(c.dir, "open.jwk")
	b, _ := os.ReadFile(c.keyFile)
	os.WriteFile(worldReadable, b, 0o644)
	os.Chmod(worldReadable, 0o644)

	// A trust policy: trusted for VerifiedEmployee, untrusted once the rule names another DID.
	trusted, untrusted, badPolicy := filepath.Join(c.dir, "trusted.json"), filepath.Join(c.dir, "untrusted.json"), filepath.Join(c.dir, "bad.json")
	os.WriteFile(trusted, []byte(`{"trustedIssuers":[{"credentialTypes":["VerifiedEmployee"],"dids":["`+c.issuer.DID()+`"]}]}`), 0o600)
	os.WriteFile(untrusted, []byte(`{"trustedIssuers":[{"credentialTypes":["VerifiedEmployee"],"dids":["did:web:example.com"]}]}`), 0o600)
	os.WriteFile(badPolicy, []byte(`{"trustedIssuers":[{"dids":["not-a-did"]}]}`), 0o600)
	mustRun(t, append([]string{"vc", "verify", "--policy", trusted, jwt}, c.trust...)...)

	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"untrusted issuer", append([]string{"vc", "verify", "--policy", untrusted, jwt}, c.trust...), exitNotValid, "untrusted_issuer"},
		{"bad policy file", append([]string{"vc", "verify", "--policy", badPolicy, jwt}, c.trust...), exitInvalidInput, "--policy"},
		{"policy with remote", []string{"vc", "verify", "--remote", "--node", "http://127.0.0.1:1", "--policy", trusted, jwt}, exitInvalidInput, "--policy"},
		{"tampered signature", append([]string{"vc", "verify", tampered}, c.trust...), exitNotValid, "invalid_signature"},
		{"expired", append([]string{"vc", "verify", expired}, c.trust...), exitNotValid, "expired"},
		{"did:web refused without loopback", []string{"vc", "verify", jwt}, exitNotValid, "unresolvable_issuer"},
		{"not a JWT", []string{"vc", "verify", "garbage"}, exitNotValid, "invalid_jwt"},
		{"wrong nonce", append([]string{"vc", "verify", "--presentation", "--audience", "https://verifier.example", "--nonce", "other", vp}, c.trust...), exitNotValid, "nonce_mismatch"},
		{"presentation without audience", []string{"vc", "verify", "--presentation", vp}, exitInvalidInput, "--audience"},
		{"remote without node", []string{"vc", "verify", "--remote", jwt}, exitInvalidInput, "--remote needs --node"},
		{"verify without JWT", []string{"vc", "verify"}, 1, "accepts 1 arg"},
		{"unreachable node", []string{"vc", "verify", "--remote", "--node", "http://127.0.0.1:1", jwt}, 1, "not reachable"},
		{"issue without key", []string{"vc", "issue", "--kid", c.issuer.KID, "--subject-id", c.holder.DID()}, exitInvalidInput, "--key is required"},
		{"issue without kid", []string{"vc", "issue", "--key", c.keyFile, "--subject-id", c.holder.DID()}, exitInvalidInput, "--kid is required"},
		{"issue kid without fragment", []string{"vc", "issue", "--key", c.keyFile, "--kid", c.issuer.DID(), "--subject-id", c.holder.DID()}, exitInvalidInput, "--kid"},
		{"missing key file", []string{"vc", "issue", "--key", filepath.Join(c.dir, "nope.jwk"), "--kid", c.issuer.KID, "--subject-id", "x"}, exitInvalidInput, "does not exist"},
		{"key readable by others", []string{"vc", "issue", "--key", worldReadable, "--kid", c.issuer.KID, "--subject-id", "x"}, exitInvalidInput, "chmod 600"},
		{"no subject", []string{"vc", "issue", "--key", c.keyFile, "--kid", c.issuer.KID}, exitInvalidInput, "needs a subject"},
		{"bad claim", []string{"vc", "issue", "--key", c.keyFile, "--kid", c.issuer.KID, "--claim", "novalue"}, exitInvalidInput, "name=value"},
		{"bad subject JSON", []string{"vc", "issue", "--key", c.keyFile, "--kid", c.issuer.KID, "--subject-json", "[1]"}, exitInvalidInput, "JSON object"},
		{"bad format", []string{"vc", "issue", "--key", c.keyFile, "--kid", c.issuer.KID, "--subject-id", "x", "--format", "ldp_vc"}, exitInvalidInput, "--format"},
		{"status without node", []string{"vc", "issue", "--key", c.keyFile, "--kid", c.issuer.KID, "--subject-id", "x", "--status"}, exitInvalidInput, "--status needs --node"},
		{"revoke without node", []string{"vc", "revoke", jwt}, exitInvalidInput, "--node is required"},
		{"revoke without status", []string{"vc", "revoke", "--node", "http://127.0.0.1:1", jwt}, exitInvalidInput, "no credentialStatus"},
		{"revoke without target", []string{"vc", "revoke", "--node", "http://127.0.0.1:1"}, exitInvalidInput, "--list and --index"},
		{"revoke bad list", []string{"vc", "revoke", "--node", "http://127.0.0.1:1", "--list", "a/b", "--index", "3"}, exitInvalidInput, "not a status list id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (%s)", code, tc.code, errOut)
			}
			if strings.Count(strings.TrimRight(errOut, "\n"), "\n") != 0 || !strings.Contains(errOut, tc.msg) {
				t.Errorf("stderr should be one line containing %q, got %q", tc.msg, errOut)
			}
		})
	}
}

// TestVCThroughNode issues, verifies and revokes through the credential routes a node mounts
// (credential/httpapi over an HTTP server), as `ionode serve` serves them.
func TestVCThroughNode(t *testing.T) {
	c := newCLIEnv(t)
	const token = "cli-admin-token"
	iss := &credential.Issuer{Signer: c.issuer}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mgr := &status.Manager{Store: &status.FileStore{Dir: t.TempDir()}, Issuer: iss, BaseURL: srv.URL + "/status"}
	if err := mgr.Create(t.Context(), "revocation", status.StatusList2021, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	// The node's status checker fetches its list from the plain-HTTP test node, uncached.
	trusting := c.env.Server.Client()
	fetcher := &web.Client{Guard: trusting.Guard, AllowHTTPLoopback: true, TLSConfig: trusting.TLSConfig}
	core := &credential.Verifier{Resolver: c.env.Resolver}
	v := &credential.Verifier{Resolver: c.env.Resolver, Status: &status.Checker{Client: fetcher, Verifier: core, TTL: time.Nanosecond}}
	mux.Handle("/", (&httpapi.API{Verifier: v, Issuer: iss, Status: mgr, StatusList: "revocation", AdminTokenSHA256: []string{httpapi.HashToken(token)}}).Handler())

	var issued struct {
		JWT              string            `json:"jwt"`
		CredentialStatus credential.Status `json:"credentialStatus"`
	}
	out := mustRun(t, "vc", "issue", "--json", "--node", srv.URL, "--admin-token", token, "--status", "--type", "VerifiedEmployee", "--subject-id", c.holder.DID())
	if err := json.Unmarshal([]byte(out), &issued); err != nil || issued.CredentialStatus.StatusListCredential != srv.URL+"/status/revocation" {
		t.Fatalf("issue through node: %v %s", err, out)
	}
	mustRun(t, "vc", "verify", "--remote", "--node", srv.URL, issued.JWT)
	mustRun(t, append([]string{"vc", "verify", issued.JWT}, c.trust...)...)

	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"issue without token", []string{"vc", "issue", "--node", srv.URL, "--subject-id", c.holder.DID()}, exitInvalidInput, "admin token"},
		{"issue with key and node", []string{"vc", "issue", "--node", srv.URL, "--key", c.keyFile, "--kid", c.issuer.KID, "--subject-id", "x"}, exitInvalidInput, "drop --key"},
		{"revoke with wrong token", []string{"vc", "revoke", "--node", srv.URL, "--admin-token", "wrong", issued.JWT}, exitInvalidInput, "HTTP 401"},
		{"revoke unknown list", []string{"vc", "revoke", "--node", srv.URL, "--admin-token", token, "--list", "other", "--index", "1"}, exitInvalidInput, "no such status list"},
		{"remote verify of garbage", []string{"vc", "verify", "--remote", "--node", srv.URL, "garbage"}, exitNotValid, "invalid_jwt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, tc.args...)
			if code != tc.code || strings.Count(strings.TrimRight(errOut, "\n"), "\n") != 0 || !strings.Contains(errOut, tc.msg) {
				t.Errorf("exit %d (want %d), stderr %q (want one line with %q)", code, tc.code, errOut, tc.msg)
			}
		})
	}

	// Revoke: both the node and a local verifier see it; --undo reinstates.
	if out := mustRun(t, "vc", "revoke", "--node", srv.URL, "--admin-token", token, issued.JWT); !strings.Contains(out, "revoked: list revocation index "+issued.CredentialStatus.StatusListIndex) {
		t.Fatalf("revoke output: %s", out)
	}
	for _, args := range [][]string{{"vc", "verify", "--remote", "--node", srv.URL, issued.JWT}, append([]string{"vc", "verify", issued.JWT}, c.trust...)} {
		if _, errOut, code := runCLI(t, args...); code != exitNotValid || !strings.Contains(errOut, "revoked") {
			t.Fatalf("%v after revocation: exit %d %s", args, code, errOut)
		}
	}
	var undone struct {
		List    string `json:"list"`
		Index   int    `json:"index"`
		Revoked bool   `json:"revoked"`
	}
	out = mustRun(t, "vc", "revoke", "--json", "--undo", "--node", srv.URL, "--admin-token", token, "--list", "revocation", "--index", issued.CredentialStatus.StatusListIndex)
	if err := json.Unmarshal([]byte(out), &undone); err != nil || undone.Revoked || undone.List != "revocation" {
		t.Fatalf("undo: %v %s", err, out)
	}
	mustRun(t, "vc", "verify", "--remote", "--node", srv.URL, issued.JWT)

	// The admin token can come from ION_ADMIN_TOKEN instead of the command line.
	t.Setenv("ION_ADMIN_TOKEN", token)
	mustRun(t, "vc", "revoke", "--node", srv.URL, issued.JWT)
	if _, errOut, code := runCLI(t, "vc", "verify", "--remote", "--node", srv.URL, issued.JWT); code != exitNotValid || !strings.Contains(errOut, "revoked") {
		t.Fatalf("after revocation with ION_ADMIN_TOKEN: exit %d %s", code, errOut)
	}
}

// FuzzStatusOf reads credentialStatus entries out of arbitrary JWTs (vc revoke's input): an entry or an
// invalid-input error, never a panic; a found entry yields a list id and index or an invalid-input error.
func FuzzStatusOf(f *testing.F) {
	for _, payload := range []string{
		`{"vc":{"credentialStatus":{"type":"StatusList2021Entry","statusPurpose":"revocation","statusListIndex":"94567","statusListCredential":"https://node.example/status/revocation"}}}`,
		`{"credentialStatus":[{"type":"BitstringStatusListEntry","statusPurpose":"suspension","statusListIndex":7,"statusListCredential":"https://n/status/s"},{"statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://n/status/r"}]}`,
		`{"vc":{}}`, `[]`, `{"credentialStatus":"x"}`,
	} {
		f.Add("eyJhbGciOiJFZERTQSJ9." + sidetree.EncodeBase64URL([]byte(payload)) + ".sig")
	}
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, jwt string) {
		entry, err := statusOf(jwt)
		if err != nil {
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != exitInvalidInput {
				t.Fatalf("error is not invalid input: %v", err)
			}
			return
		}
		if list, index, err := listAndIndex(entry); err == nil && index < 0 {
			t.Fatalf("negative index %d of list %q", index, list)
		}
	})
}
