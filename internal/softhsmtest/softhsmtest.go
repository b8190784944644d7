// Package softhsmtest gives tests a fresh SoftHSM2 token of their own: a configuration and a token
// directory in t.TempDir, selected through SOFTHSM2_CONF. Without SoftHSM2 the test is skipped, except in
// CI (CI=true), where .ci/run installs it and a missing one is a failure.
package softhsmtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ionode/ionode/signer/pkcs11"
)

// PIN is the user PIN of the tokens made here.
const PIN = "123456"

// modules are where Debian and Fedora install SoftHSM2's PKCS#11 module.
var modules = []string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib64/pkcs11/libsofthsm2.so",
}

// Module returns the SoftHSM2 module path, or skips (fails in CI) when SoftHSM2 is not installed.
func Module(t testing.TB) string {
	t.Helper()
	for _, m := range modules {
		if _, err := os.Stat(m); err == nil {
			if _, err := exec.LookPath("softhsm2-util"); err == nil {
				return m
			}
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("SoftHSM2 is not installed (apt-get install softhsm2); .ci/run installs it")
	}
	t.Skip("SoftHSM2 is not installed (apt-get install softhsm2)")
	return ""
}

// Token creates a token labelled label in a new SoftHSM2 store and returns the configuration of a key
// named object in it, with the PIN in a file. It sets SOFTHSM2_CONF for the test, so tests that use it
// cannot run in parallel.
func Token(t testing.TB, label, object string) pkcs11.Config {
	t.Helper()
	module := Module(t)
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	if err := os.Mkdir(tokens, 0o700); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	if err := os.WriteFile(conf, []byte("directories.tokendir = "+tokens+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	out, err := exec.Command("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", "so-"+PIN).CombinedOutput()
	if err != nil {
		t.Fatalf("softhsm2-util --init-token: %v\n%s", err, out)
	}
	pinFile := filepath.Join(dir, "pin")
	if err := os.WriteFile(pinFile, []byte(PIN+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return pkcs11.Config{URI: pkcs11.URI{Token: label, Object: object}, ModulePath: module, PINFile: pinFile}
}
