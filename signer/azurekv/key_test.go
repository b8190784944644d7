package azurekv_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/azurekv"
)

// TestSign goes the whole way: the azkeys SDK authenticates by challenge, reads the key, asks for
// signatures over HTTPS, and every signature verifies under the key's public key, low S for P-256K.
func TestSign(t *testing.T) {
	v := startVault(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		key  vaultKey
		alg  signer.Algorithm
	}{
		{"P-256K", vaultKey{priv: newSecp256k1(t), kty: "EC-HSM", crv: "P-256K", ops: []string{"sign", "verify"}, enabled: true}, signer.ES256K},
		{"P-256", vaultKey{priv: newP256(t), kty: "EC", crv: "P-256", ops: []string{"sign"}, enabled: true}, signer.ES256},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, version := range []string{"", "7d3b2f1e0c9a8b7c6d5e4f3a2b1c0d9e"} {
				uri := v.add("issuer"+tc.name[len(tc.name)-1:], version, tc.key)
				k, err := azurekv.Open(ctx, uri, v.options())
				if err != nil {
					t.Fatal(err)
				}
				if k.Algorithm() != tc.alg || k.Backend() != "azurekv" {
					t.Fatalf("%s %s", k.Backend(), k.Algorithm())
				}
				for i := range 8 {
					digest := sha256.Sum256(fmt.Appendf(nil, "credential %d", i))
					sig, err := signer.Checked(k).Sign(ctx, digest[:])
					if err != nil {
						t.Fatal(err)
					}
					if tc.alg == signer.ES256K {
						var s secp256k1.ModNScalar
						s.SetByteSlice(sig[32:])
						if s.IsOverHalfOrder() {
							t.Fatalf("signature %d has a high S", i)
						}
					}
				}
			}
		})
	}
}

// TestOpenRefuses: start-up fails with one line for a missing key, a disabled key, a key that may not
// sign, and a key on another curve.
func TestOpenRefuses(t *testing.T) {
	v := startVault(t)
	ctx := context.Background()
	good := vaultKey{priv: newSecp256k1(t), kty: "EC-HSM", crv: "P-256K", ops: []string{"sign"}, enabled: true}
	disabled, noSign, rsa := good, good, good
	disabled.enabled = false
	noSign.ops = []string{"verify"}
	rsa.kty, rsa.crv = "RSA-HSM", ""
	p384 := good
	p384.crv = "P-384"
	tests := []struct {
		name string
		uri  string
		want error
	}{
		{"missing", "azurekv://" + v.host() + "/keys/nothing", azurekv.ErrKeyNotFound},
		{"disabled", v.add("disabled", "", disabled), azurekv.ErrKeyUnusable},
		{"verify only", v.add("verifyonly", "", noSign), azurekv.ErrKeyUnusable},
		{"RSA", v.add("rsa", "", rsa), azurekv.ErrUnsupportedCurve},
		{"P-384", v.add("p384", "", p384), azurekv.ErrUnsupportedCurve},
		{"bad URI", "azurekv://vault/secrets/x", azurekv.ErrURI},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := azurekv.Open(ctx, tc.uri, v.options())
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is more than one line: %q", err)
			}
		})
	}
}

// TestThrottling: the vault answers 429 (Key Vault's "Throttled") to the first signings; Retry waits
// them out and the signing succeeds, counted as throttled then ok. An outage (503) is retried a few
// times and fails as transient; an access-denied answer is not retried.
func TestThrottling(t *testing.T) {
	v := startVault(t)
	ctx := context.Background()
	k, err := azurekv.Open(ctx, v.add("writer", "", vaultKey{priv: newSecp256k1(t), kty: "EC-HSM", crv: "P-256K", ops: []string{"sign"}, enabled: true}), v.options())
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	s := signer.Retry(signer.Observe(signer.Checked(k), signer.NewMetrics(reg)), signer.Backoff{First: time.Millisecond, Max: 5 * time.Millisecond})
	refuse := func(status int, code string, upTo int) {
		v.mu.Lock()
		defer v.mu.Unlock()
		v.signs = 0
		v.refuse = func(n int) (int, string) {
			if n > upTo {
				return 0, ""
			}
			return status, fmt.Sprintf(`{"error":{"code":%q,"message":"refused by the test"}}`, code)
		}
	}
	signs := func() int {
		v.mu.Lock()
		defer v.mu.Unlock()
		return v.signs
	}
	digest := sha256.Sum256([]byte("issuance"))
	refuse(429, "Throttled", 7)
	if _, err := s.Sign(ctx, digest[:]); err != nil {
		t.Fatalf("throttled signing failed: %v", err)
	}
	want := `
# HELP ionode_signings_total Signings by key backend and outcome (ok, throttled, transient, error).
# TYPE ionode_signings_total counter
ionode_signings_total{backend="azurekv",outcome="ok"} 1
ionode_signings_total{backend="azurekv",outcome="throttled"} 7
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "ionode_signings_total"); err != nil {
		t.Fatal(err)
	}
	refuse(503, "ServiceUnavailable", 1000)
	if _, err := s.Sign(ctx, digest[:]); !errors.Is(err, signer.ErrTransient) || errors.Is(err, signer.ErrThrottled) || signs() != 4 {
		t.Fatalf("outage: err = %v after %d signings", err, signs())
	}
	refuse(403, "Forbidden", 1000)
	if _, err := s.Sign(ctx, digest[:]); !errors.Is(err, azurekv.ErrKeyUnusable) || signs() != 1 {
		t.Fatalf("forbidden: err = %v after %d signings", err, signs())
	}
}
