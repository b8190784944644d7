package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil/v2"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestTestnetKeepsTheKey runs `ionode testnet` with debug logging, anchors an operation, and checks that
// neither its output nor its logs show the writer key it created (owner-only) in its data directory.
func TestTestnetKeepsTheKey(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and a node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	var stdout, stderr lockedBuffer
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- runTestnet(runCtx, testnetOptions{dataDir: dir, listen: "127.0.0.1:0", logLevel: "debug"}, &stdout, &stderr)
	}()
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/identifiers`)
	var base string
	for base == "" {
		select {
		case err := <-done:
			t.Fatalf("testnet stopped: %v\n%s", err, stderr.String())
		case <-ctx.Done():
			t.Fatal("testnet did not become ready")
		case <-time.After(200 * time.Millisecond):
		}
		if m := addr.FindStringSubmatch(stdout.String()); m != nil {
			base = "http://" + m[1]
		}
	}
	_, errOut, code := runCLI(t, "did", "create", "--network", "regtest", "--out", t.TempDir(), "--node", base, "--wait", "30s")
	if code != 0 {
		t.Fatalf("did create: %s", errOut)
	}
	resp, err := http.Get(base + "/metrics")
	if err == nil {
		resp.Body.Close()
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("testnet: %v", err)
	}

	keyFile := filepath.Join(dir, "writer.key")
	info, err := os.Stat(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("writer key mode %v, want 0600", info.Mode().Perm())
	}
	raw, _ := os.ReadFile(keyFile)
	wif := strings.TrimSpace(string(raw))
	decoded, err := btcutil.DecodeWIF(wif)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "level=DEBUG") || !strings.Contains(stderr.String(), "batch anchored") {
		t.Fatalf("debug logs of the anchoring not captured:\n%.3000s", stderr.String())
	}
	out := stdout.String() + stderr.String()
	for name, secret := range map[string]string{"WIF": wif, "hex": hex.EncodeToString(decoded.PrivKey.Serialize())} {
		if strings.Contains(out, secret) {
			t.Errorf("the writer key (%s) appears in the output of ionode testnet", name)
		}
	}
}
