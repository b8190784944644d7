package nettest

import (
	"crypto/tls"
	"testing"
)

// TestSelfSigned: the files load as a key pair for the certificate returned.
func TestSelfSigned(t *testing.T) {
	certFile, keyFile, cert := SelfSigned(t, t.TempDir())
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.VerifyHostname("127.0.0.1"); err != nil {
		t.Error(err)
	}
	if string(pair.Certificate[0]) != string(cert.Raw) {
		t.Error("the certificate file is not the certificate returned")
	}
}
