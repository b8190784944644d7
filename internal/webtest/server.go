package webtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ionode/ionode/resolver/web"
)

// Server is an HTTPS server for did:web tests. Handle paths on Mux (or use Publish).
type Server struct {
	*httptest.Server
	Mux   *http.ServeMux
	CAPEM []byte // PEM of the CA that signed the server certificate
	Port  string

	pool     *x509.CertPool
	mu       sync.Mutex
	seen     map[string]bool
	handlers map[string]http.HandlerFunc
}

// NewServer starts a server and closes it when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ionode test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Mux: http.NewServeMux(), pool: x509.NewCertPool(), seen: map[string]bool{}}
	s.pool.AddCert(caCert)
	s.CAPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	s.Server = httptest.NewUnstartedServer(s.Mux)
	s.Server.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}}}
	s.Server.StartTLS()
	t.Cleanup(s.Server.Close)
	_, s.Port, _ = net.SplitHostPort(s.Listener.Addr().String())
	return s
}

// Client returns a web.Client that trusts the server's CA and allows loopback addresses.
func (s *Server) Client() *web.Client {
	return &web.Client{
		Guard:     web.Guard{AllowLoopback: true},
		TLSConfig: &tls.Config{RootCAs: s.pool},
		Timeout:   5 * time.Second,
	}
}

// Origin is https://localhost:PORT.
func (s *Server) Origin() string { return "https://localhost:" + s.Port }

// DID returns did:web:localhost%3APORT with optional path segments.
func (s *Server) DID(path ...string) string {
	return strings.Join(append([]string{"did:web:localhost%3A" + s.Port}, path...), ":")
}

// Publish serves body (as application/json) at path with an optional Cache-Control; publishing a path
// again replaces its body.
func (s *Server) Publish(path string, body []byte, cacheControl string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if cacheControl != "" {
			w.Header().Set("Cache-Control", cacheControl)
		}
		_, _ = w.Write(body)
	}
	if !s.seen[path] {
		s.seen[path] = true
		s.Mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			handler := s.handlers[path]
			s.mu.Unlock()
			handler(w, r)
		})
	}
	if s.handlers == nil {
		s.handlers = map[string]http.HandlerFunc{}
	}
	s.handlers[path] = h
}

// DocumentPath is the URL path of a did:web DID's document on this server.
func DocumentPath(did string) string {
	u, err := web.DocumentURL(did)
	if err != nil {
		return ""
	}
	_, rest, _ := strings.Cut(strings.TrimPrefix(u, "https://"), "/")
	return "/" + rest
}

// PublishDocument serves a DID document at its did:web location.
func (s *Server) PublishDocument(did string, doc []byte, cacheControl string) {
	s.Publish(DocumentPath(did), doc, cacheControl)
}

// WriteCA writes the CA certificate PEM into dir and returns its path.
func (s *Server) WriteCA(t testing.TB, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(p, s.CAPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
