package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/linkeddomains"
	"github.com/ionode/ionode/internal/credtest"
)

func TestDomainLinkVerify(t *testing.T) {
	c := newCLIEnv(t)
	origin := c.env.Server.Origin()
	// A did:web DID claiming the test server's origin in a LinkedDomains service.
	did, signers := c.env.WebDIDWithServices(t, []credtest.Method{{Fragment: "key-1", Alg: credential.EdDSA}},
		[]map[string]any{{"id": "#linked", "type": linkeddomains.ServiceType, "serviceEndpoint": origin}}, "org")
	keyFile := writeSignerKey(t, c.dir, "org.jwk", signers["key-1"])
	out := filepath.Join(c.dir, "did-configuration.json")

	printed := mustRun(t, "domain", "link", "--key", keyFile, "--kid", signers["key-1"].KID, "--origin", origin+"/", "--out", out)
	if !strings.Contains(printed, "wrote "+out) || !strings.Contains(printed, origin+linkeddomains.WellKnownPath) {
		t.Fatalf("link output: %s", printed)
	}
	config, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := linkeddomains.Parse(config); err != nil {
		t.Fatalf("written configuration: %v", err)
	}
	var linked struct {
		DID, Origin, JWT string
		Configuration    json.RawMessage
	}
	if err := json.Unmarshal([]byte(mustRun(t, "domain", "link", "--json", "--key", keyFile, "--kid", signers["key-1"].KID, "--origin", origin)), &linked); err != nil ||
		linked.DID != did || linked.Origin != origin || linked.JWT == "" {
		t.Fatalf("link --json: %v %+v", err, linked)
	}

	// Before the configuration is published the link does not verify; afterwards it does.
	verify := append([]string{"domain", "verify", did, origin}, c.trust...)
	if _, errOut, code := runCLI(t, verify...); code != exitNotValid || strings.Count(strings.TrimRight(errOut, "\n"), "\n") != 0 {
		t.Fatalf("unpublished configuration: exit %d %q", code, errOut)
	}
	c.env.Server.Publish(linkeddomains.WellKnownPath, config, "")
	if got := mustRun(t, verify...); !strings.Contains(got, "linked: "+did) {
		t.Fatalf("verify output: %s", got)
	}
	var res struct {
		Linked bool `json:"linked"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, append(verify, "--json")...)), &res); err != nil || !res.Linked {
		t.Fatalf("verify --json: %v %+v", err, res)
	}

	// The issuer of the CLI environment claims no origin.
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"DID without LinkedDomains", append([]string{"domain", "verify", c.issuer.DID(), origin}, c.trust...), exitNotValid, "not linked"},
		{"unknown did:web", append([]string{"domain", "verify", c.env.Server.DID("nobody"), origin}, c.trust...), exitNotFound, "not found"},
		{"http origin", []string{"domain", "verify", did, "http://example.com"}, exitInvalidInput, "invalid origin"},
		{"not a DID", []string{"domain", "verify", "example.com", origin}, exitInvalidInput, "invalid DID"},
		{"one argument", []string{"domain", "verify", did}, 1, "accepts 2 arg"},
		{"link without origin", []string{"domain", "link", "--key", keyFile, "--kid", signers["key-1"].KID}, exitInvalidInput, "--origin"},
		{"link origin with path", []string{"domain", "link", "--key", keyFile, "--kid", signers["key-1"].KID, "--origin", origin + "/x"}, exitInvalidInput, "--origin"},
		{"link without key", []string{"domain", "link", "--kid", signers["key-1"].KID, "--origin", origin}, exitInvalidInput, "--key is required"},
		{"link zero validity", []string{"domain", "link", "--key", keyFile, "--kid", signers["key-1"].KID, "--origin", origin, "--valid-for", "0s"}, exitInvalidInput, "--valid-for"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, tc.args...)
			if code != tc.code || strings.Count(strings.TrimRight(errOut, "\n"), "\n") != 0 || !strings.Contains(errOut, tc.msg) {
				t.Errorf("exit %d (want %d), stderr %q (want one line with %q)", code, tc.code, errOut, tc.msg)
			}
		})
	}
}
