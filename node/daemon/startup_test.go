package daemon

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/time/rate"
)

func TestWarnUnsafe(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	tests := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"mainnet writer, open, uncapped", Config{Network: "mainnet", WriterKeyFile: "k"}, []string{"--write-token-hash", "--fee-budget"}},
		{"testnet writer, token, uncapped", Config{Network: "testnet", WriterKey: "x", WriteTokenHashes: []string{hash}}, []string{"--fee-budget"}},
		{"mainnet writer, open, capped", Config{Network: "mainnet", WriterKeyFile: "k", FeeBudgetPerDay: 1}, []string{"--write-token-hash"}},
		{"mainnet writer, locked and capped", Config{Network: "mainnet", WriterKeyFile: "k", WriteTokenHashes: []string{hash}, FeeBudgetPerDay: 1}, nil},
		{"regtest", Config{Network: "regtest", WriterKeyFile: "k"}, nil},
		{"no writer", Config{Network: "mainnet"}, nil},
		{"unlimited gateway", Config{Network: "mainnet", IPFS: "embedded"}, []string{"--ipfs-gateway-rate"}},
		{"limited gateway", Config{Network: "mainnet", IPFS: "embedded", GatewayRatePerIP: 10}, nil},
		{"unlimited gateway on Kubo", Config{Network: "mainnet", IPFS: "http://127.0.0.1:5001"}, nil},
		{"unlimited gateway on regtest", Config{Network: "regtest", IPFS: "embedded"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			tc.cfg.warnUnsafe(slog.New(slog.NewTextHandler(&buf, nil)))
			out := buf.String()
			if got := strings.Count(out, "level=WARN"); got != len(tc.want) {
				t.Fatalf("%d warnings, want %d:\n%s", got, len(tc.want), out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("no warning naming %s:\n%s", w, out)
				}
			}
		})
	}
}

func TestOwnerOnlyDir(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	root := t.TempDir()
	fresh := filepath.Join(root, "fresh", "store")
	if err := ownerOnlyDir(fresh, log); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(fresh); info.Mode().Perm() != 0o700 {
		t.Fatalf("new directory mode %v, want 0700", info.Mode().Perm())
	}
	loose := filepath.Join(root, "loose")
	if err := os.Mkdir(loose, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(loose, 0o755) // past the umask
	if err := ownerOnlyDir(loose, log); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(loose); info.Mode().Perm() != 0o700 {
		t.Fatalf("existing 0755 directory left at %v", info.Mode().Perm())
	}
	if !strings.Contains(buf.String(), "restricted to its owner") {
		t.Fatalf("no log line for the tightened directory: %s", buf.String())
	}
}

func TestGatewayRate(t *testing.T) {
	tests := []struct {
		perIP     float64
		wantRate  rate.Limit
		wantBurst int
	}{
		{10, 10, 20},
		{0.2, 0.2, 1},
		{0, -1, 0},
		{-3, -1, 0},
	}
	for _, tt := range tests {
		r, b := Config{GatewayRatePerIP: tt.perIP}.gatewayRate()
		if r != tt.wantRate || b != tt.wantBurst {
			t.Errorf("gatewayRate(%v) = %v, %d; want %v, %d", tt.perIP, r, b, tt.wantRate, tt.wantBurst)
		}
	}
}
