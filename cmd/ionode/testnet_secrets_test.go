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

// runningTestnet is `ionode testnet` run by a test, its output captured.
type runningTestnet struct {
	base           string // the node's HTTP base URL
	stdout, stderr lockedBuffer
	cancel         context.CancelFunc
	done           chan error
}

// startTestnet runs `ionode testnet` until it prints its banner.
func startTestnet(t *testing.T, ctx context.Context, o testnetOptions) *runningTestnet {
	t.Helper()
	runCtx, cancel := context.WithCancel(ctx)
	tn := &runningTestnet{cancel: cancel, done: make(chan error, 1)}
	go func() { tn.done <- runTestnet(runCtx, o, &tn.stdout, &tn.stderr) }()
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/identifiers`)
	for tn.base == "" {
		select {
		case err := <-tn.done:
			t.Fatalf("testnet stopped: %v\n%s", err, tn.stderr.String())
		case <-ctx.Done():
			t.Fatal("testnet did not become ready")
		case <-time.After(200 * time.Millisecond):
		}
		if m := addr.FindStringSubmatch(tn.stdout.String()); m != nil {
			tn.base = "http://" + m[1]
		}
	}
	return tn
}

// stop stops the testnet and fails the test if it did not end cleanly.
func (tn *runningTestnet) stop(t *testing.T) {
	t.Helper()
	tn.cancel()
	if err := <-tn.done; err != nil {
		t.Fatalf("testnet: %v", err)
	}
}

// TestTestnetKeepsTheKey runs `ionode testnet` with debug logging, anchors an operation, and checks that
// neither its output nor its logs show the writer key it created (owner-only) in its data directory.
func TestTestnetKeepsTheKey(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and a node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	tn := startTestnet(t, ctx, testnetOptions{dataDir: dir, listen: "127.0.0.1:0", logLevel: "debug"})
	_, errOut, code := runCLI(t, "did", "create", "--network", "regtest", "--out", t.TempDir(), "--node", tn.base, "--wait", "30s")
	if code != 0 {
		t.Fatalf("did create: %s", errOut)
	}
	resp, err := http.Get(tn.base + "/metrics")
	if err == nil {
		resp.Body.Close()
	}
	tn.stop(t)
	stdout, stderr := &tn.stdout, &tn.stderr

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
