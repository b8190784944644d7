package main

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ionode/ionode/resolver/key"
)

// TestResolveOtherMethods: did:key and did:jwk resolve offline to a W3C DID Resolution result whose
// document is the DID's.
func TestResolveOtherMethods(t *testing.T) {
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	didKey, err := key.DIDKey(edPub)
	if err != nil {
		t.Fatal(err)
	}
	didJWK, err := key.DIDJWK(&p256.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, did := range []string{didKey, didJWK} {
		t.Run(did[:7], func(t *testing.T) {
			out, errOut, code := runCLI(t, "did", "resolve", did)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var res struct {
				DidDocument struct {
					ID                 string           `json:"id"`
					VerificationMethod []map[string]any `json:"verificationMethod"`
				} `json:"didDocument"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if res.DidDocument.ID != did || len(res.DidDocument.VerificationMethod) != 1 {
				t.Fatalf("resolution %s", out)
			}
		})
	}
}

// TestCreateSubmittedOutput: once the create request is posted, the output says so instead of telling
// the user to post it.
func TestCreateSubmittedOutput(t *testing.T) {
	var posted int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/operations" {
			posted++
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{}`))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	out, errOut, code := runCLI(t, "did", "create", "--network", "regtest", "--out", t.TempDir(), "--node", srv.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if posted != 1 || !strings.Contains(out, "Submitted:") || strings.Contains(out, "POST it") {
		t.Fatalf("posted %d times; output:\n%s", posted, out)
	}
}
