package httpserve

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/ionode/ionode/internal/nettest"
)

// TestTLS: with a certificate the server speaks HTTPS only, TLS ≥ 1.2, and the handler sees r.TLS.
func TestTLS(t *testing.T) {
	cfg := testConfig()
	var cert *x509.Certificate
	cfg.TLSCertFile, cfg.TLSKeyFile, cert = nettest.SelfSigned(t, t.TempDir())
	_, addr := start(t, cfg, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil {
			http.Error(w, "no TLS state", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "ok")
	}))
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := func(c *tls.Config) *http.Client {
		c.RootCAs = pool
		return &http.Client{Transport: &http.Transport{TLSClientConfig: c}, Timeout: 30 * time.Second}
	}
	resp, err := client(&tls.Config{}).Get("https://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok" || resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Fatalf("HTTPS: %d %q %+v", resp.StatusCode, body, resp.TLS)
	}
	if resp, err := client(&tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}).Get("https://" + addr + "/"); err == nil {
		resp.Body.Close()
		t.Error("TLS 1.1 accepted")
	}
	plain := &http.Client{Timeout: 30 * time.Second}
	if resp, err := plain.Get("http://" + addr + "/"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("plain HTTP answered 200")
		}
	}
}

// TestTLSHalfConfigured: a certificate without its key is an error from Serve, never plain HTTP.
func TestTLSHalfConfigured(t *testing.T) {
	cfg := testConfig()
	cfg.TLSCertFile, _, _ = nettest.SelfSigned(t, t.TempDir())
	s := New(cfg, http.NotFoundHandler())
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	select {
	case err := <-done:
		if err == nil || errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		s.Shutdown(context.Background())
		t.Fatal("Serve is serving with a certificate and no key")
	}
}
