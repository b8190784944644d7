package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestIssuerKeyRotation rotates an issuer's signing key the documented way (docs/keys.md): an update
// operation adds key-2 to the DID document, new credentials name it in their kid, and credentials signed
// with key-1 before the rotation keep verifying against the updated document.
func TestIssuerKeyRotation(t *testing.T) {
	url := startInstantNode(t)
	dir := t.TempDir()
	out, errOut, code := runCLI(t, "did", "create", "--json", "--out", dir, "--node", url, "--wait", "5s")
	if code != 0 {
		t.Fatalf("create: exit %d %s", code, errOut)
	}
	var created struct {
		Short string `json:"shortFormDid"`
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil || created.Short == "" {
		t.Fatalf("create output: %v %s", err, out)
	}
	did := created.Short
	issue := func(key, kid string) (jwt, gotKid string) {
		t.Helper()
		var issued struct{ JWT, Kid string }
		out := mustRun(t, "vc", "issue", "--json", "--key", filepath.Join(dir, key), "--kid", kid, "--type", "VerifiedEmployee", "--subject-id", did)
		if err := json.Unmarshal([]byte(out), &issued); err != nil {
			t.Fatalf("issue output: %v %s", err, out)
		}
		return issued.JWT, issued.Kid
	}
	before, _ := issue("key-1.jwk", did+"#key-1")

	if _, errOut, code := runCLI(t, "did", "update", did, "--keys", dir, "--node", url, "--wait", "5s", "--add-key", "key-2,secp256k1,assertionMethod"); code != 0 {
		t.Fatalf("update: exit %d %s", code, errOut)
	}
	after, kid := issue("key-2.jwk", did+"#key-2")
	if kid != did+"#key-2" {
		t.Fatalf("new credential's kid %q", kid)
	}
	for name, jwt := range map[string]string{"before the rotation (key-1)": before, "after it (key-2)": after} {
		if _, errOut, code := runCLI(t, "vc", "verify", "--node", url, jwt); code != 0 {
			t.Errorf("credential signed %s does not verify: exit %d %s", name, code, errOut)
		}
	}
	// key-2 signing under key-1's name is caught: the rotation did not make the keys interchangeable.
	forged, _ := issue("key-2.jwk", did+"#key-1")
	if _, errOut, code := runCLI(t, "vc", "verify", "--node", url, forged); code != exitNotValid || !strings.Contains(errOut, "not valid") {
		t.Errorf("key-2's signature under key-1's kid: exit %d %s", code, errOut)
	}
}
