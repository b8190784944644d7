package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func parseServe(t *testing.T, args []string, env map[string]string, file string) (serveConfig, error) {
	t.Helper()
	c := defaultServeConfig()
	f := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	bindServeFlags(&c, f)
	if err := f.Parse(args); err != nil {
		return c, err
	}
	err := applySources(f, file, func(k string) string { return env[k] })
	return c, err
}

func TestServeConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ionode.json")
	os.WriteFile(file, []byte(`{"network":"testnet","listen":"0.0.0.0:9","batch-interval":"5s","ipfs-peers":["/ip4/1.2.3.4/tcp/4001/p2p/x"],"confirmations":3}`), 0o600)

	c, err := parseServe(t, []string{"--listen", "127.0.0.1:7"}, map[string]string{"ION_NETWORK": "regtest", "ION_BITCOIN_RPC": "127.0.0.1:18334",
		"ION_BITCOIN_USER": "u", "ION_BITCOIN_PASSWORD": "p"}, file)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:7" { // flag beats file
		t.Errorf("listen = %q", c.Listen)
	}
	if c.Network != "regtest" { // env beats file
		t.Errorf("network = %q", c.Network)
	}
	if c.BatchInterval != 5*time.Second || c.Confirmations != 3 || len(c.IPFSPeers) != 1 { // file beats default
		t.Errorf("file settings not applied: %+v", c)
	}
	if c.BitcoinRPC != "127.0.0.1:18334" {
		t.Errorf("bitcoin-rpc = %q", c.BitcoinRPC)
	}
	if _, err := c.Validate(); err != nil {
		t.Errorf("validate: %v", err)
	}
}

func TestServeConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"netwrk":"x"}`), 0o600)
	if _, err := parseServe(t, nil, nil, bad); err == nil || !strings.Contains(err.Error(), "netwrk") {
		t.Errorf("unknown config key: %v", err)
	}
	if _, err := parseServe(t, nil, map[string]string{"ION_CONFIRMATIONS": "many"}, ""); err == nil || !strings.Contains(err.Error(), "ION_CONFIRMATIONS") {
		t.Errorf("bad env value: %v", err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--network", "moon", "--bitcoin-rpc", "x:1"}, "unknown network"},
		{[]string{}, "--bitcoin-rpc or --bitcoin-peers is required"},
		{[]string{"--network", "regtest", "--bitcoin-peers", "seeds"}, "regtest has no DNS seeds"},
		{[]string{"--bitcoin-peers", "nope"}, "want host:port"},
		{[]string{"--read-only"}, "needs --mongodb-uri"},
		{[]string{"--bitcoin-rpc", "x:1", "--ipfs", "ftp://x"}, "--ipfs"},
		{[]string{"--bitcoin-rpc", "x:1", "--listen", "nope"}, "--listen"},
		{[]string{"--bitcoin-rpc", "x:1", "--confirmations", "0"}, "--confirmations"},
		{[]string{"--read-only", "--mongodb-uri", "mongodb://x", "--writer-key-file", "k"}, "exclude"},
		{[]string{"--bitcoin-rpc", "x:1"}, "no Bitcoin RPC credentials: set --bitcoin-user and --bitcoin-password (or ION_BITCOIN_USER and ION_BITCOIN_PASSWORD)"},
		{[]string{"--bitcoin-rpc", "x:1", "--bitcoin-cookie", "/core/.cookie", "--bitcoin-user", "u"}, "--bitcoin-cookie excludes --bitcoin-user"},
		{[]string{"--bitcoin-rpc", "x:1", "--ipfs-dht", "lan"}, "--ipfs-dht: cas: DHT mode \"lan\": want off, client, server or auto"},
		{[]string{"--bitcoin-rpc", "x:1", "--ipfs", "http://kubo:5001", "--ipfs-dht", "client"}, "configure the embedded IPFS node"},
		{[]string{"--bitcoin-rpc", "x:1", "--max-fee", "-1"}, "must not be negative"},
		{[]string{"--bitcoin-rpc", "x:1", "--gc-percent", "-1"}, "--gc-percent -1"},
		{[]string{"--bitcoin-rpc", "x:1", "--gc-heap-floor-mb", "-1"}, "--gc-heap-floor-mb -1: must be 0 (no floor) or more"},
		// `printf %s "$TOKEN" | sha256sum` with $TOKEN unset: it would admit an empty token.
		{[]string{"--bitcoin-rpc", "x:1", "--write-token-hash", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}, "--write-token-hash: token hash \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\": it is the SHA-256 of an empty token"},
		{[]string{"--bitcoin-rpc", "x:1", "--write-token-hash", strings.Repeat("zz", 32)}, "--write-token-hash"},
	}
	for _, tc := range tests {
		c, err := parseServe(t, tc.args, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
	// A cookie file alone is enough credentials.
	c, err := parseServe(t, []string{"--bitcoin-rpc", "x:1", "--bitcoin-cookie", "/core/.cookie"}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Validate(); err != nil {
		t.Errorf("--bitcoin-cookie alone: %v", err)
	}
}
