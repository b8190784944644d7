package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/ionode/ionode/internal/instantchain"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

func startInstantNode(t *testing.T) string {
	t.Helper()
	chain := instantchain.New()
	net := sidetree.Mainnet()
	api := &node.API{Network: net, Resolver: &ion.Resolver{Network: net, Log: chain}, Queue: chain, Version: "test"}
	r := mux.NewRouter()
	api.Register(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestDIDLifecycleThroughNode(t *testing.T) {
	url := startInstantNode(t)
	dir := t.TempDir()
	out, errOut, code := runCLI(t, "did", "create", "--json", "--out", dir, "--node", url, "--wait", "5s")
	if code != 0 {
		t.Fatalf("create: exit %d %s", code, errOut)
	}
	var created struct {
		Short string `json:"shortFormDid"`
	}
	json.Unmarshal([]byte(out), &created)

	out, errOut, code = runCLI(t, "did", "resolve", created.Short, "--node", url)
	if code != 0 || !strings.Contains(out, `"published":true`) {
		t.Fatalf("resolve after create: exit %d %s %s", code, errOut, out)
	}

	out, errOut, code = runCLI(t, "did", "update", created.Short, "--keys", dir, "--node", url, "--wait", "5s",
		"--add-service", "hub,LinkedDomains,https://hub.example.com", "--add-key", "signing,Ed25519,assertionMethod")
	if code != 0 {
		t.Fatalf("update: exit %d %s %s", code, errOut, out)
	}
	out, _, _ = runCLI(t, "did", "resolve", created.Short, "--node", url)
	if !strings.Contains(out, "#hub") || !strings.Contains(out, "#signing") {
		t.Fatalf("update not resolved: %s", out)
	}
	// The update key was rotated: the old one is kept, the next one is now current.
	olds, _ := filepath.Glob(filepath.Join(dir, "update.*.old.jwk"))
	if len(olds) != 1 {
		t.Errorf("old update keys kept: %v", olds)
	}
	if _, err := os.Stat(filepath.Join(dir, "update.next.jwk")); !os.IsNotExist(err) {
		t.Errorf("next update key left behind: %v", err)
	}

	// A second update with the rotated key works too.
	if _, errOut, code = runCLI(t, "did", "update", created.Short, "--keys", dir, "--node", url, "--wait", "5s", "--remove-service", "hub"); code != 0 {
		t.Fatalf("second update: exit %d %s", code, errOut)
	}

	if _, errOut, code = runCLI(t, "did", "recover", created.Short, "--keys", dir, "--node", url, "--wait", "5s", "--key-id", "fresh"); code != 0 {
		t.Fatalf("recover: exit %d %s", code, errOut)
	}
	out, _, _ = runCLI(t, "did", "resolve", created.Short, "--node", url)
	if !strings.Contains(out, "#fresh") || strings.Contains(out, "#signing") {
		t.Fatalf("recover not resolved: %s", out)
	}

	if _, errOut, code = runCLI(t, "did", "deactivate", created.Short, "--keys", dir, "--node", url, "--wait", "5s"); code != 0 {
		t.Fatalf("deactivate: exit %d %s", code, errOut)
	}
	out, _, code = runCLI(t, "did", "resolve", created.Short, "--node", url)
	if code != 0 || !strings.Contains(out, `"deactivated":true`) {
		t.Fatalf("deactivated DID: exit %d %s", code, out)
	}
}

func TestOperationErrors(t *testing.T) {
	url := startInstantNode(t)
	dir := t.TempDir()
	if _, errOut, code := runCLI(t, "did", "create", "--out", dir, "--node", url); code != 0 {
		t.Fatal(errOut)
	}
	down := closedURL(t)
	loose := t.TempDir()
	os.WriteFile(filepath.Join(loose, "update.jwk"), []byte(`{"kty":"EC","crv":"secp256k1","x":"a","y":"b","d":"c"}`), 0o644)
	notKey := t.TempDir()
	os.WriteFile(filepath.Join(notKey, "update.jwk"), []byte(`{"kty":"EC"}`), 0o600)
	// A well-formed DID nobody created: the update signs, but the node's resolver never applies it; the
	// submission itself is accepted, as ION accepts it.
	other := "did:ion:EiDyOQbbZAa3aiRzeCkV7LOx3SERjjH93EXoIM3UoN4oWg"
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"malformed DID", []string{"did", "update", "did:ion:x:y:z", "--keys", dir, "--add-service", "a,b,https://c"}, exitInvalidInput, "invalid DID"},
		{"missing key file", []string{"did", "update", other, "--keys", t.TempDir(), "--add-service", "a,b,https://c"}, exitInvalidInput, "does not exist"},
		{"world-readable key", []string{"did", "update", other, "--keys", loose, "--add-service", "a,b,https://c"}, exitInvalidInput, "readable by others"},
		{"not a private key", []string{"did", "update", other, "--keys", notKey, "--add-service", "a,b,https://c"}, exitInvalidInput, "not a private JWK"},
		{"nothing to do", []string{"did", "update", other, "--keys", dir}, exitInvalidInput, "nothing to update"},
		{"node down", []string{"did", "resolve", other, "--node", down}, 1, "not reachable"},
		{"not found", []string{"did", "resolve", other, "--node", url}, exitNotFound, "not found"},
		{"keys without out", []string{"keys", "generate"}, exitInvalidInput, "--out is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line containing %q", code, errOut, tc.code, tc.want)
			}
		})
	}
	// A wrong update key: the request is well-formed, so the node accepts it, but it never takes effect,
	// and waiting for it ends with a clear message.
	var created struct {
		Short string `json:"shortFormDid"`
	}
	out, errOut, code := runCLI(t, "did", "create", "--json", "--out", t.TempDir(), "--node", url)
	if code != 0 {
		t.Fatal(errOut)
	}
	json.Unmarshal([]byte(out), &created)
	wrong := t.TempDir()
	if _, errOut, code := runCLI(t, "keys", "generate", "--out", filepath.Join(wrong, "update.jwk")); code != 0 {
		t.Fatal(errOut)
	}
	_, errOut, code = runCLI(t, "did", "update", created.Short, "--keys", wrong, "--node", url, "--wait", "1s", "--add-service", "a,b,https://c")
	if code != 1 || !strings.Contains(errOut, "not anchored within") {
		t.Errorf("wrong key: exit %d %q", code, errOut)
	}
}
