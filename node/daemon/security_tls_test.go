package daemon

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/internal/nettest"
	"github.com/ionode/ionode/testnet"
)

// TestTLS: with a certificate and key the node serves HTTPS only, with the configured timeouts.
func TestTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and a node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	btc := startBitcoin(t, ctx, testnet.Config{})
	dir := t.TempDir()
	certFile, keyFile, cert := nettest.SelfSigned(t, dir)
	rpc := btc.RPCConfig()
	cfg := DefaultConfig()
	cfg.Network, cfg.Listen, cfg.DataDir = "regtest", "127.0.0.1:0", filepath.Join(dir, "data")
	cfg.BitcoinRPC, cfg.BitcoinUser, cfg.BitcoinPassword = rpc.Host, rpc.User, rpc.Pass
	cfg.IPFSListen = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.PollInterval = 200 * time.Millisecond
	cfg.HTTP.TLSCertFile, cfg.HTTP.TLSKeyFile = certFile, keyFile
	// The other timeouts, which also bound a TLS handshake, are far longer than ReadHeaderTimeout, so
	// that the silent connection below can only be cut off by ReadHeaderTimeout before the client's
	// read deadline, whatever the machine's load.
	cfg.HTTP.ReadHeaderTimeout = 700 * time.Millisecond
	cfg.HTTP.ReadTimeout, cfg.HTTP.WriteTimeout = 3*time.Minute, 3*time.Minute
	d, err := Start(ctx, cfg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(context.Background()) })

	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}
	resp, err := client.Get("https://" + d.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil || strings.TrimSpace(string(body)) != "ok" {
		t.Fatalf("HTTPS /healthz: %d tls=%v %q", resp.StatusCode, resp.TLS != nil, body)
	}
	if resp.TLS.Version < tls.VersionTLS12 {
		t.Errorf("TLS version %x", resp.TLS.Version)
	}
	// Plain HTTP is not served.
	if resp, err := http.Get("http://" + d.Addr() + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("plain HTTP answered 200")
		}
	}
	// A client that never finishes its headers is cut off after ReadHeaderTimeout.
	conn, err := net.Dial("tcp", d.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Who ends the wait tells: the server closing the connection, or the client's own deadline, far
	// beyond ReadHeaderTimeout and short of the other timeouts, which only a server that does not apply
	// ReadHeaderTimeout lets expire.
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	_, err = io.Copy(io.Discard, conn) // blocks until the server closes the silent connection
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("silent connection held until the client gave up: %v", err)
	}
}
