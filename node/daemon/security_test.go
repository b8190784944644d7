package daemon

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/testnet"
)

// TestKeyFilePermissions: a key file group or others may access stops start-up with a one-line
// message naming the file and the fix, and without the key in it.
func TestKeyFilePermissions(t *testing.T) {
	dir := t.TempDir()
	key, err := anchor.GenerateKey(testnet.Params)
	if err != nil {
		t.Fatal(err)
	}
	wif, _ := key.WIF()
	write := func(name string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(wif), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		set     func(*Config)
		wantErr string // empty: the permission check passes
	}{
		{"writer key world-readable", func(c *Config) { c.WriterKeyFile = write("w644", 0o644) }, "--writer-key-file"},
		{"writer key group-readable", func(c *Config) { c.WriterKeyFile = write("w640", 0o640) }, "--writer-key-file"},
		{"writer key group-writable", func(c *Config) { c.WriterKeyFile = write("w620", 0o620) }, "--writer-key-file"},
		{"writer key owner-only", func(c *Config) { c.WriterKeyFile = write("w600", 0o600) }, ""},
		{"writer key read-only owner", func(c *Config) { c.WriterKeyFile = write("w400", 0o400) }, ""},
		{"issuer key world-readable", func(c *Config) {
			c.Credentials.IssuerKeyFile, c.Credentials.IssuerKID = write("i644", 0o644), "did:ion:EiA#key-1"
		}, "--issuer-key-file"},
		{"TLS key world-readable", func(c *Config) {
			c.HTTP.TLSCertFile, c.HTTP.TLSKeyFile = write("cert", 0o644), write("t644", 0o644)
		}, "--tls-key-file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Network, cfg.DataDir, cfg.BitcoinRPC, cfg.BitcoinUser = "regtest", t.TempDir(), "127.0.0.1:1", "u"
			tc.set(&cfg)
			if tc.wantErr == "" {
				if err := cfg.checkSecretFiles(); err != nil {
					t.Fatalf("owner-only file refused: %v", err)
				}
				return
			}
			d, err := Start(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err == nil {
				d.Close(context.Background())
				t.Fatal("started with an exposed key file")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.wantErr) || !strings.Contains(msg, "chmod 600") || strings.Contains(msg, "\n") {
				t.Errorf("message %q: want one line naming %s and chmod 600", msg, tc.wantErr)
			}
			if strings.Contains(msg, wif) {
				t.Errorf("message carries the key: %q", msg)
			}
		})
	}
}

// TestSecretsStayOut runs a full node on btcd regtest with debug logging, a writer key from the
// environment, write and admin tokens, and an RPC password; it anchors a create, touches every kind of
// route and error, and then searches the logs, the HTTP answers and the error messages for the secrets.
func TestSecretsStayOut(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and a node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	btc := startBitcoin(t, ctx, testnet.Config{})

	writeToken, adminToken := randomToken(t), randomToken(t)
	logs := &syncBuffer{}
	var wif string
	d := regtestNode(t, ctx, btc, "", func(s *nodeSetup) {
		raw, err := os.ReadFile(s.Config.WriterKeyFile)
		if err != nil {
			t.Fatal(err)
		}
		// The key comes from the environment (ION_WRITER_KEY) instead of the file.
		wif, s.Config.WriterKey, s.Config.WriterKeyFile = string(raw), string(raw), ""
		s.Config.WriteTokenHashes = []string{tokenHash(writeToken)}
		s.Config.Credentials.AdminTokenHashes = []string{tokenHash(adminToken)}
		s.Config.LogLevel = "debug"
		s.Log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	decoded, err := btcutil.DecodeWIF(wif)
	if err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{
		"writer key (WIF)": wif,
		"writer key (hex)": hex.EncodeToString(decoded.PrivKey.Serialize()),
		"write token":      writeToken,
		"admin token":      adminToken,
		"RPC password":     btc.RPCConfig().Pass,
	}
	for name, s := range secrets {
		if len(s) < 8 {
			t.Fatalf("%s %q too short to search for", name, s)
		}
	}

	var answers bytes.Buffer
	base := "http://" + d.Addr()
	do := func(method, path, token, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Fprintf(&answers, "%s %s → %d\n", method, path, resp.StatusCode)
		resp.Header.Write(&answers)
		answers.Write(b)
		return resp.StatusCode, string(b)
	}

	create, err := sidetree.NewCreateRequest("ion", mustKey(t), mustKey(t), sidetree.Document{}, sidetree.Regtest().Latest())
	if err != nil {
		t.Fatal(err)
	}
	did := "did:ion:" + create.DIDSuffix
	// Without a token, or with a wrong one (even one that starts with the real token): 401, nothing queued.
	for _, token := range []string{"", "wrong", writeToken + "x", adminToken} {
		if status, body := do("POST", "/operations", token, string(create.Body.Stringify())); status != http.StatusUnauthorized {
			t.Fatalf("POST /operations with token %q: %d %s", token, status, body)
		}
	}
	if depth, err := d.Store.QueueDepth(ctx); err != nil || depth != 0 {
		t.Fatalf("queue depth after refused requests: %d %v", depth, err)
	}
	if status, body := do("POST", "/operations", writeToken, string(create.Body.Stringify())); status != 200 {
		t.Fatalf("create: %d %s", status, body)
	}
	do("POST", "/operations", writeToken, `{"type":"create"`)
	do("POST", "/operations", writeToken, string(create.Body.Stringify()))
	mineUntil(t, ctx, btc, "the create to be anchored", func() bool {
		status, body := do("GET", "/identifiers/"+did, "", "")
		return status == 200 && strings.Contains(body, `"published":true`)
	})
	for _, path := range []string{"/1.0/identifiers/" + did, "/identifiers/" + did + "/operations", "/identifiers/did:ion:EiAx",
		"/status", "/readyz", "/readyz?check=writer", "/metrics", "/version", "/transactions", "/openapi.json", "/healthz"} {
		do("GET", path, "", "")
	}
	do("POST", "/credentials/issue", "", `{}`)
	do("POST", "/credentials/issue", writeToken, `{}`)
	do("POST", "/credentials/issue", adminToken, `{"credential":{}}`)
	do("POST", "/credentials/verify", "", `{"verifiableCredential":"x"}`)

	// Start-up errors about the key: a corrupted one and one for another network.
	var errs bytes.Buffer
	corrupt := wif[:len(wif)-3] + "zzz"
	for _, bad := range []string{corrupt, wif + " trailing", hex.EncodeToString(decoded.PrivKey.Serialize())[:63] + "g"} {
		cfg := d.cfg
		cfg.WriterKey, cfg.DataDir, cfg.Listen = bad, t.TempDir(), "127.0.0.1:0"
		if other, err := Start(ctx, cfg, slog.New(slog.NewTextHandler(&errs, &slog.HandlerOptions{Level: slog.LevelDebug}))); err == nil {
			other.Close(ctx)
			t.Errorf("started with a corrupted key")
		} else {
			fmt.Fprintln(&errs, err)
			if !strings.Contains(err.Error(), WriterKeyEnv) {
				t.Errorf("start-up error does not name %s: %v", WriterKeyEnv, err)
			}
			if strings.Contains(err.Error(), bad) {
				t.Errorf("start-up error repeats the bad key: %v", err)
			}
		}
	}
	secrets["corrupted key"] = corrupt

	if !strings.Contains(logs.String(), "level=DEBUG") || !strings.Contains(logs.String(), "batch anchored") {
		t.Fatalf("the node's debug logs were not captured:\n%.2000s", logs.String())
	}
	for where, text := range map[string]string{"logs": logs.String(), "HTTP answers": answers.String(), "errors": errs.String()} {
		for name, s := range secrets {
			if where == "errors" && name == "corrupted key" {
				continue // checked per error above, the logs of those starts are in errs too
			}
			if i := strings.Index(text, s); i >= 0 {
				t.Errorf("the %s appear in the %s: …%s…", name, where, text[max(0, i-80):min(len(text), i+len(s)+20)])
			}
		}
	}
}

func randomToken(t *testing.T) string {
	t.Helper()
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
