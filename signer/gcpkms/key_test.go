package gcpkms_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/kms/apiv1/kmspb"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/gcpkms"
)

// TestSign goes the whole way through the Cloud KMS client library over gRPC: every signature verifies
// under the key's public key, low S for secp256k1, with the request's and response's checksums checked.
func TestSign(t *testing.T) {
	c := startKMS(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		v    kmsVersion
		alg  signer.Algorithm
	}{
		{"secp256k1", kmsVersion{newSecp256k1(t), kmspb.CryptoKeyVersion_EC_SIGN_SECP256K1_SHA256}, signer.ES256K},
		{"p256", kmsVersion{newP256(t), kmspb.CryptoKeyVersion_EC_SIGN_P256_SHA256}, signer.ES256},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := gcpkms.Open(ctx, c.add(tc.name, tc.v), c.options(t)...)
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			if k.Algorithm() != tc.alg || k.Backend() != "gcpkms" {
				t.Fatalf("%s %s", k.Backend(), k.Algorithm())
			}
			for i := range 8 {
				digest := sha256.Sum256(fmt.Appendf(nil, "anchor %d", i))
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
		})
	}
	t.Run("corrupted in transit", func(t *testing.T) {
		k, err := gcpkms.Open(ctx, c.add("corrupt", kmsVersion{newSecp256k1(t), kmspb.CryptoKeyVersion_EC_SIGN_SECP256K1_SHA256}), c.options(t)...)
		if err != nil {
			t.Fatal(err)
		}
		defer k.Close()
		c.mu.Lock()
		c.corrupt = true
		c.mu.Unlock()
		defer func() { c.mu.Lock(); c.corrupt = false; c.mu.Unlock() }()
		digest := sha256.Sum256(nil)
		if _, err := k.Sign(ctx, digest[:]); !errors.Is(err, gcpkms.ErrIntegrity) || !errors.Is(err, signer.ErrTransient) {
			t.Fatalf("err = %v, want ErrIntegrity", err)
		}
	})
}

// TestOpenRefuses: start-up fails with one line for a missing version and unsupported algorithms.
func TestOpenRefuses(t *testing.T) {
	c := startKMS(t)
	ctx := context.Background()
	tests := []struct {
		name string
		uri  string
		want error
	}{
		{"missing", "gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/none/cryptoKeyVersions/1", gcpkms.ErrKeyNotFound},
		{"P-384", c.add("p384", kmsVersion{newP256(t), kmspb.CryptoKeyVersion_EC_SIGN_P384_SHA384}), gcpkms.ErrUnsupportedCurve},
		{"RSA", c.add("rsa", kmsVersion{newP256(t), kmspb.CryptoKeyVersion_RSA_SIGN_PSS_2048_SHA256}), gcpkms.ErrUnsupportedCurve},
		{"wrong curve for algorithm", c.add("mislabelled", kmsVersion{newP256(t), kmspb.CryptoKeyVersion_EC_SIGN_SECP256K1_SHA256}), gcpkms.ErrUnsupportedCurve},
		{"bad URI", "gcpkms://projects/p/cryptoKeys/k", gcpkms.ErrURI},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gcpkms.Open(ctx, tc.uri, c.options(t)...)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is more than one line: %q", err)
			}
		})
	}
}

// TestThrottling: Cloud KMS answers RESOURCE_EXHAUSTED (its quota error) to the first signings; Retry
// waits them out and the signing succeeds, counted as throttled then ok. UNAVAILABLE is retried a few
// times and fails as transient; PERMISSION_DENIED is not retried.
func TestThrottling(t *testing.T) {
	c := startKMS(t)
	ctx := context.Background()
	k, err := gcpkms.Open(ctx, c.add("writer", kmsVersion{newSecp256k1(t), kmspb.CryptoKeyVersion_EC_SIGN_SECP256K1_SHA256}), c.options(t)...)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	reg := prometheus.NewRegistry()
	s := signer.Retry(signer.Observe(signer.Checked(k), signer.NewMetrics(reg)), signer.Backoff{First: time.Millisecond, Max: 5 * time.Millisecond})
	refuse := func(code codes.Code, upTo int) {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.signs = 0
		c.refuse = func(n int) error {
			if n > upTo {
				return nil
			}
			return status.Errorf(code, "refused by the test (%d)", n)
		}
	}
	signs := func() int {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.signs
	}
	digest := sha256.Sum256([]byte("batch"))
	refuse(codes.ResourceExhausted, 5)
	if _, err := s.Sign(ctx, digest[:]); err != nil {
		t.Fatalf("throttled signing failed: %v", err)
	}
	want := `
# HELP ionode_signings_total Signings by key backend and outcome (ok, throttled, transient, error).
# TYPE ionode_signings_total counter
ionode_signings_total{backend="gcpkms",outcome="ok"} 1
ionode_signings_total{backend="gcpkms",outcome="throttled"} 5
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "ionode_signings_total"); err != nil {
		t.Fatal(err)
	}
	refuse(codes.Unavailable, 1000)
	if _, err := s.Sign(ctx, digest[:]); !errors.Is(err, signer.ErrTransient) || errors.Is(err, signer.ErrThrottled) || signs() != 4 {
		t.Fatalf("outage: err = %v after %d signings", err, signs())
	}
	refuse(codes.PermissionDenied, 1000)
	if _, err := s.Sign(ctx, digest[:]); !errors.Is(err, gcpkms.ErrKeyUnusable) || signs() != 1 {
		t.Fatalf("permission denied: err = %v after %d signings", err, signs())
	}
}
