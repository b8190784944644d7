package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ionode/ionode/internal/nettest"
)

// closedURL is the URL of a loopback port that refuses connections for the rest of the test.
func closedURL(t *testing.T) string { return "http://" + nettest.RefusingAddr(t) }

// occupiedAddr is a loopback address another listener holds for the rest of the test.
func occupiedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l.Addr().String()
}

// lockedDir is a data directory another running ionode holds (its lock taken as lockDir takes it).
func lockedDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	f, err := os.OpenFile(filepath.Join(dir, "ionode.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestStartupErrors covers what a new user runs into when starting a node: each must fail at once, before
// btcd, IPFS or the store are started, with one line and a non-zero exit code.
func TestStartupErrors(t *testing.T) {
	busy := occupiedAddr(t)
	down := closedURL(t)
	serve := func(args ...string) []string {
		return append([]string{"serve", "--network", "regtest", "--bitcoin-rpc", strings.TrimPrefix(down, "http://"),
			"--bitcoin-user", "u", "--bitcoin-password", "p",
			"--ipfs", down, "--data-dir", t.TempDir(), "--log-level", "error"}, args...)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
		// slow: the failure comes after retries meant for a node whose Bitcoin is briefly away.
		slow bool
	}{
		{"serve port in use", serve("--listen", busy), 1, "--listen " + busy + ": address already in use", false},
		{"serve bad listen", serve("--listen", "nowhere"), exitInvalidInput, "--listen", false},
		{"serve data dir in use", append(serve("--listen", "127.0.0.1:0"), "--data-dir", lockedDir(t)), 1, "in use by another running ionode", false},
		{"serve bitcoin down", serve("--listen", "127.0.0.1:0"), 1, "does not answer: anchor: rpc getblockcount: Post", true},
		{"serve no bitcoin credentials", []string{"serve", "--network", "regtest", "--bitcoin-rpc", strings.TrimPrefix(down, "http://"),
			"--data-dir", t.TempDir(), "--listen", "127.0.0.1:0"}, exitInvalidInput, "no Bitcoin RPC credentials: set --bitcoin-user and --bitcoin-password (or ION_BITCOIN_USER and ION_BITCOIN_PASSWORD)", false},
		{"serve missing writer key", serve("--listen", "127.0.0.1:0", "--writer-key-file", filepath.Join(t.TempDir(), "nope.key")), exitInvalidInput, "nope.key: no such file or directory", false},
		{"testnet port in use", []string{"testnet", "--data-dir", t.TempDir(), "--listen", busy}, 1, "address already in use", false},
		{"testnet data dir in use", []string{"testnet", "--data-dir", lockedDir(t), "--listen", "127.0.0.1:0"}, 1, "in use by another running ionode", false},
		{"testnet bad log level", []string{"testnet", "--data-dir", t.TempDir(), "--log-level", "loud"}, exitInvalidInput, "--log-level", false},
		{"health node down", []string{"health", "--url", down + "/readyz"}, 1, "not reachable", false},
		{"unknown flag", []string{"serve", "--no-such-flag"}, 1, "unknown flag", false},
		{"unknown command", []string{"srve"}, 1, `unknown command "srve" for "ionode" Did you mean this? serve`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, errOut, code := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) || !strings.HasPrefix(errOut, "ionode: ") ||
				strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line \"ionode: …%s…\"", code, errOut, tc.code, tc.want)
			}
			if took := time.Since(start); !tc.slow && took > 5*time.Second {
				t.Errorf("took %v to fail", took)
			}
		})
	}
}

func TestHealth(t *testing.T) {
	ready := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		if !ready {
			http.Error(w, "behind the tip by 7 blocks", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	if _, errOut, code := runCLI(t, "health", "--url", srv.URL+"/readyz"); code != 0 {
		t.Errorf("ready node: exit %d %s", code, errOut)
	}
	ready = false
	_, errOut, code := runCLI(t, "health", "--url", srv.URL+"/readyz")
	if code != 1 || !strings.Contains(errOut, "HTTP 503 behind the tip by 7 blocks") {
		t.Errorf("unready node: exit %d %q", code, errOut)
	}
	// Without --url the address comes from ION_LISTEN, as ionode serve reads it.
	host := strings.TrimPrefix(srv.URL, "http://")
	_, port, _ := net.SplitHostPort(host)
	var out, errb strings.Builder
	cmd := newHealthCommand(func(k string) string {
		if k == "ION_LISTEN" {
			return "0.0.0.0:" + port
		}
		return ""
	})
	cmd.SetArgs(nil)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	ready = true
	if err := cmd.Execute(); err != nil {
		t.Errorf("health from ION_LISTEN: %v", err)
	}
}

func TestReadyURL(t *testing.T) {
	for in, want := range map[string]string{
		"":              "http://127.0.0.1:3000/readyz",
		"0.0.0.0:3000":  "http://127.0.0.1:3000/readyz",
		":8080":         "http://127.0.0.1:8080/readyz",
		"[::]:3000":     "http://127.0.0.1:3000/readyz",
		"10.0.0.5:3000": "http://10.0.0.5:3000/readyz",
		"[::1]:3000":    "http://[::1]:3000/readyz",
		"node.internal": "http://node.internal/readyz",
	} {
		if got := readyURL(in); got != want {
			t.Errorf("readyURL(%q) = %q, want %q", in, got, want)
		}
	}
}
