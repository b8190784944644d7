//go:build cgo

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/softhsmtest"
	"github.com/ionode/ionode/signer/pkcs11"
)

// TestDIDKeysMoveIntoToken runs the CLI against a node: a DID created with file keys moves its update and
// recovery keys into a SoftHSM2 token (an update and a recover signed by the file keys, committing to keys
// generated in the token), then is updated and recovered with the token keys alone.
func TestDIDKeysMoveIntoToken(t *testing.T) {
	url := startInstantNode(t)
	cfg := softhsmtest.Token(t, "ionode", "unused")
	t.Setenv(ModuleEnv, cfg.ModulePath)
	t.Setenv(pkcs11.DefaultPINEnv, softhsmtest.PIN)
	uri := func(label string) string { return "pkcs11:token=ionode;object=" + label }
	for _, label := range []string{"update-1", "update-2", "update-3", "update-4", "update-5", "recovery-1", "recovery-2"} {
		out, errOut, code := runCLI(t, "keys", "generate", "--type", "secp256k1", "--pkcs11", uri(label))
		if code != 0 || !strings.Contains(out, `"crv":"secp256k1"`) {
			t.Fatalf("keys generate: exit %d %s %s", code, errOut, out)
		}
	}
	if _, errOut, code := runCLI(t, "keys", "generate", "--pkcs11", uri("update-1")); code == 0 || !strings.Contains(errOut, "exists") {
		t.Fatalf("a second key with one label: exit %d %s", code, errOut)
	}
	dir := t.TempDir()
	out, errOut, code := runCLI(t, "did", "create", "--json", "--out", dir, "--node", url, "--wait", "5s")
	if code != 0 {
		t.Fatalf("create: exit %d %s", code, errOut)
	}
	var created struct {
		Short string `json:"shortFormDid"`
	}
	json.Unmarshal([]byte(out), &created)
	did := created.Short
	steps := []struct {
		name string
		args []string
		want string
	}{
		{"update key into the token", []string{"update", did, "--next-update-key", uri("update-1"), "--add-service", "a,LinkedDomains,https://a.example.com"}, "#a"},
		{"update with the token key", []string{"update", did, "--update-key", uri("update-1"), "--next-update-key", uri("update-2"), "--add-service", "b,LinkedDomains,https://b.example.com"}, "#b"},
		{"recovery key into the token", []string{"recover", did, "--next-recovery-key", uri("recovery-1"), "--next-update-key", uri("update-3"), "--key-id", "r1"}, "#r1"},
		{"recover with the token key", []string{"recover", did, "--recovery-key", uri("recovery-1"), "--next-recovery-key", uri("recovery-2"), "--next-update-key", uri("update-4"), "--key-id", "r2"}, "#r2"},
		{"update after recovery", []string{"update", did, "--update-key", uri("update-4"), "--next-update-key", uri("update-5"), "--add-service", "c,LinkedDomains,https://c.example.com"}, "#c"},
	}
	for _, s := range steps {
		args := append([]string{"did"}, s.args...)
		args = append(args, "--keys", dir, "--node", url, "--wait", "5s")
		if out, errOut, code := runCLI(t, args...); code != 0 {
			t.Fatalf("%s: exit %d %s %s", s.name, code, errOut, out)
		}
		out, _, _ := runCLI(t, "did", "resolve", did, "--node", url)
		if !strings.Contains(out, s.want) {
			t.Fatalf("%s: not resolved: %s", s.name, out)
		}
	}
	// The file keys are spent: the recovery file never rotated away, but the DID no longer commits to it.
	if _, errOut, code := runCLI(t, "did", "deactivate", did, "--keys", dir, "--node", url, "--wait", "2s"); code == 0 {
		t.Fatalf("deactivate with the old file recovery key succeeded: %s", errOut)
	}
	bad := []struct{ name, args, want string }{
		{"wrong label", "did update " + did + " --update-key " + uri("nope") + " --next-update-key " + uri("update-2") + " --add-service x,T,https://x.example", "key not found"},
		{"token key rotating to a file", "did update " + did + " --update-key " + uri("update-1") + " --add-service x,T,https://x.example", "--next-update-key"},
		{"pin-value", "did deactivate " + did + " --recovery-key pkcs11:token=ionode;object=recovery-2?pin-value=1", "pin-value is refused"},
	}
	for _, b := range bad {
		_, errOut, code := runCLI(t, append(strings.Fields(b.args), "--keys", dir)...)
		if code != exitInvalidInput || !strings.Contains(errOut, b.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%s: exit %d, %q (want one line with %q)", b.name, code, errOut, b.want)
		}
	}
}
