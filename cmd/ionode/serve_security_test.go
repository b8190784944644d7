package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServeSecuritySettings(t *testing.T) {
	env := map[string]string{
		"ION_FEE_BUDGET": "50000", "ION_CORS_ORIGIN": "https://a.example,https://b.example",
		"ION_HTTP_READ_TIMEOUT": "3s", "ION_HTTP_MAX_BODY_BYTES": "2048", "ION_WRITE_TOKEN_RATE": "2",
		"ION_TLS_CERT_FILE": "/etc/ionode/cert.pem", "ION_TLS_KEY_FILE": "/etc/ionode/key.pem",
		"ION_BITCOIN_RPC": "127.0.0.1:18334", "ION_BITCOIN_USER": "u", "ION_BITCOIN_PASSWORD": "p",
	}
	c, err := parseServe(t, nil, env, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.FeeBudgetPerDay != 50000 || len(c.HTTP.CORSOrigins) != 2 || c.HTTP.ReadTimeout != 3*time.Second ||
		c.HTTP.MaxBodyBytes != 2048 || c.WriteRatePerToken != 2 || c.HTTP.TLSKeyFile != "/etc/ionode/key.pem" {
		t.Errorf("settings from the environment not applied: %+v", c)
	}
	if _, err := c.Validate(); err != nil {
		t.Errorf("validate: %v", err)
	}

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--tls-cert-file", "c.pem"}, "--tls-key-file"},
		{[]string{"--cors-origin", "https://a.example/path"}, "--cors-origin"},
		{[]string{"--cors-origin", "a.example"}, "--cors-origin"},
		{[]string{"--http-idle-timeout", "0s"}, "timeout"},
		{[]string{"--http-max-body-bytes", "10"}, "--http-max-body-bytes"},
	}
	for _, tc := range tests {
		c, err := parseServe(t, append(tc.args, "--bitcoin-rpc", "127.0.0.1:1"), nil, "")
		if err == nil {
			_, err = c.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error about %s", tc.args, err, tc.want)
		}
	}
}

// TestServeRefusesReadableKey: `ionode serve` stops at once, with one line, on a key file others can read.
func TestServeRefusesReadableKey(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "writer.key")
	secret := strings.Repeat("ab", 32)
	if err := os.WriteFile(keyFile, []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "serve", "--network", "regtest", "--bitcoin-rpc", "127.0.0.1:1", "--bitcoin-user", "u", "--bitcoin-password", "p",
		"--data-dir", filepath.Join(dir, "data"), "--writer-key-file", keyFile, "--listen", "127.0.0.1:0")
	if code == 0 {
		t.Fatal("serve started with a world-readable key file")
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	last := lines[len(lines)-1]
	if !strings.Contains(last, keyFile) || !strings.Contains(last, "chmod 600") {
		t.Errorf("message %q: want the file and chmod 600", last)
	}
	if strings.Contains(out+errOut, secret) {
		t.Error("the key appears in the output")
	}
}
