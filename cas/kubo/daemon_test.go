package kubo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ionode/ionode/cas"
	"github.com/ionode/ionode/internal/nettest"
	"github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// kuboDaemon is a real `ipfs daemon` started for one test.
type kuboDaemon struct {
	api   string   // http://127.0.0.1:port
	swarm []string // multiaddrs with /p2p/<id>
	bin   string
	path  string // IPFS_PATH
}

// kuboBinary finds the Kubo binary: $IONODE_KUBO, else `ipfs` on PATH. The
// tests that need it skip without one: building Kubo takes far longer than
// this package's test budget on the CI machine.
func kuboBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("IONODE_KUBO"); p != "" {
		return p
	}
	p, err := exec.LookPath("ipfs")
	if err != nil {
		t.Skip("no Kubo binary: set IONODE_KUBO=/path/to/ipfs or put ipfs on PATH to run the tests against a real Kubo daemon")
	}
	return p
}

// startKubo initialises a throw-away repository with the "test" profile
// (loopback addresses, no bootstrap peers, no AutoConf, no mDNS), turns off
// routing and telemetry so nothing leaves the machine, and runs the daemon
// until the test ends.
func startKubo(t *testing.T) *kuboDaemon {
	t.Helper()
	d := &kuboDaemon{bin: kuboBinary(t), path: t.TempDir()}
	d.run(t, "init", "--profile=test")
	d.run(t, "config", "Routing.Type", "none")
	d.run(t, "config", "--json", "Plugins.Plugins.telemetry.Config", `{"Mode":"off"}`)

	cmd := exec.Command(d.bin, "daemon", "--migrate=false")
	cmd.Env = d.env()
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start ipfs daemon: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("ipfs daemon output:\n%s", logs.String())
		}
	})

	// The daemon writes its API address to $IPFS_PATH/api once it serves.
	deadline := time.Now().Add(60 * time.Second)
	for {
		raw, err := os.ReadFile(filepath.Join(d.path, "api"))
		if err == nil && len(bytes.TrimSpace(raw)) > 0 {
			ma, err := multiaddr.NewMultiaddr(strings.TrimSpace(string(raw)))
			if err != nil {
				t.Fatalf("api file %q: %v", raw, err)
			}
			_, host, err := manet.DialArgs(ma)
			if err != nil {
				t.Fatal(err)
			}
			d.api = "http://" + host
			if d.ready() {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("ipfs daemon did not come up:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	d.swarm = d.addrs(t)
	return d
}

func (d *kuboDaemon) env() []string {
	return append(os.Environ(), "IPFS_PATH="+d.path, "IPFS_TELEMETRY=off", "DO_NOT_TRACK=1")
}

func (d *kuboDaemon) run(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(d.bin, args...)
	cmd.Env = d.env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ipfs %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (d *kuboDaemon) ready() bool {
	resp, err := http.Post(d.api+"/api/v0/id", "", nil)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// addrs returns the daemon's swarm addresses with its peer ID.
func (d *kuboDaemon) addrs(t *testing.T) []string {
	t.Helper()
	var id struct{ Addresses []string }
	d.call(t, "id", "", &id)
	if len(id.Addresses) == 0 {
		t.Fatal("ipfs daemon has no swarm address")
	}
	return id.Addresses
}

// call posts an RPC command and decodes its JSON answer.
func (d *kuboDaemon) call(t *testing.T, command, arg string, out any) {
	t.Helper()
	u := d.api + "/api/v0/" + command
	if arg != "" {
		u += "?arg=" + arg
	}
	resp, err := http.Post(u, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s", command, readAPIError(resp))
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s: %v", command, err)
		}
	}
}

func TestKuboDaemon(t *testing.T) {
	d := startKubo(t)
	c, err := New(d.api, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	t.Run("put gives ipfs add CIDs", func(t *testing.T) {
		for _, g := range goldens {
			got, err := c.Put(ctx, g.data)
			if err != nil {
				t.Fatal(err)
			}
			if got != g.cid {
				t.Errorf("%s: Put = %s, want %s", g.name, got, g.cid)
			}
		}
	})
	t.Run("get round trip", func(t *testing.T) {
		for _, g := range goldens {
			got, err := c.Get(ctx, g.cid, int64(len(g.data)))
			if err != nil || !bytes.Equal(got, g.data) {
				t.Errorf("%s: Get = %d bytes, %v", g.name, len(got), err)
			}
		}
	})
	big := goldens[len(goldens)-1]
	for _, tt := range []struct {
		name    string
		cid     string
		maxSize int64
		timeout time.Duration
		want    error
	}{
		{"too large", big.cid, int64(len(big.data)) - 1, 10 * time.Second, cas.ErrTooLarge},
		{"invalid", "Qm-not-a-cid", 10, time.Second, cas.ErrInvalidCID},
		{"directory", emptyDirCID, 10, 10 * time.Second, cas.ErrNotAFile},
		{"unknown", unknownCID, 10, time.Second, cas.ErrNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(ctx, tt.timeout)
			defer cancel()
			if _, err := c.Get(ctx, tt.cid, tt.maxSize); !errors.Is(err, tt.want) {
				t.Fatalf("Get(%s): %v, want %v", tt.cid, err, tt.want)
			}
		})
	}
	t.Run("pinned after get", func(t *testing.T) {
		var pins struct{ Keys map[string]any }
		d.call(t, "pin/ls", goldens[0].cid, &pins)
		if _, ok := pins.Keys[goldens[0].cid]; !ok {
			t.Errorf("pin/ls %s: %v", goldens[0].cid, pins.Keys)
		}
	})
}

func TestUnreachable(t *testing.T) {
	c, err := New(fmt.Sprintf("http://%s", nettest.RefusingAddr(t)), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Get(ctx, goldens[0].cid, 100); !errors.Is(err, cas.ErrUnreachable) {
		t.Fatalf("Get: %v, want ErrUnreachable", err)
	}
	if _, err := c.Put(ctx, []byte("x")); !errors.Is(err, cas.ErrUnreachable) {
		t.Fatalf("Put: %v, want ErrUnreachable", err)
	}
}
