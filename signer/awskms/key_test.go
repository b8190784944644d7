package awskms_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	btcecdsa "github.com/btcsuite/btcd/btcec/v2/ecdsa"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/awskms"
)

// TestSignWithEmulator signs with secp256k1 and P-256 keys held by Local KMS: every signature verifies
// under the public key GetPublicKey gave, and the secp256k1 ones are low S and parse as Bitcoin's
// strict DER, though KMS returns either half.
func TestSignWithEmulator(t *testing.T) {
	e := startEmulator(t)
	ctx := context.Background()
	for _, tc := range []struct {
		spec types.KeySpec
		alg  signer.Algorithm
	}{{types.KeySpecEccSecgP256k1, signer.ES256K}, {types.KeySpecEccNistP256, signer.ES256}} {
		t.Run(string(tc.spec), func(t *testing.T) {
			uri := e.createKey(t, tc.spec, types.KeyUsageTypeSignVerify)
			k, err := awskms.Open(ctx, uri, e.options())
			if err != nil {
				t.Fatal(err)
			}
			if k.Algorithm() != tc.alg || k.Backend() != "awskms" || k.Name() != uri {
				t.Fatalf("key %s %s %s", k.Name(), k.Backend(), k.Algorithm())
			}
			for i := range 16 {
				digest := sha256.Sum256(fmt.Appendf(nil, "message %d", i))
				sig, err := signer.Checked(k).Sign(ctx, digest[:])
				if err != nil {
					t.Fatal(err)
				}
				if tc.alg != signer.ES256K {
					continue
				}
				var s secp256k1.ModNScalar
				s.SetByteSlice(sig[32:])
				if s.IsOverHalfOrder() {
					t.Fatalf("signature %d has a high S", i)
				}
				der, _ := signer.DER(sig)
				parsed, err := btcecdsa.ParseDERSignature(der)
				if err != nil || !parsed.Verify(digest[:], k.Public().(*secp256k1.PublicKey)) {
					t.Fatalf("Bitcoin does not accept signature %d: %v", i, err)
				}
			}
			if _, err := k.Sign(ctx, []byte("not a digest")); !errors.Is(err, signer.ErrInput) {
				t.Fatalf("short digest: %v", err)
			}
		})
	}
}

// TestOpenRefuses: start-up fails with one line for a missing key, a key of an unsupported spec and a key
// that does not sign.
func TestOpenRefuses(t *testing.T) {
	e := startEmulator(t)
	ctx := context.Background()
	tests := []struct {
		name string
		uri  string
		want error
	}{
		{"missing key", "awskms:///arn:aws:kms:eu-west-2:111122223333:key/00000000-0000-0000-0000-000000000000", awskms.ErrKeyNotFound},
		{"P-384", e.createKey(t, types.KeySpecEccNistP384, types.KeyUsageTypeSignVerify), awskms.ErrUnsupportedCurve},
		{"RSA", e.createKey(t, types.KeySpecRsa2048, types.KeyUsageTypeSignVerify), awskms.ErrUnsupportedCurve},
		{"encryption key", e.createKey(t, types.KeySpecSymmetricDefault, types.KeyUsageTypeEncryptDecrypt), awskms.ErrKeyUnusable},
		{"not a URI", "awskms://key", awskms.ErrURI},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := awskms.Open(ctx, tc.uri, e.options())
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is more than one line: %q", err)
			}
		})
	}
}

// TestThrottling: KMS answers 429 ThrottlingException (and KMS's own LimitExceededException) to the
// first signings; Retry waits them out and the signing succeeds, counted in the metrics as throttled
// then ok. An outage (503) is retried a few times and then fails as a transient error.
func TestThrottling(t *testing.T) {
	e := startEmulator(t)
	ctx := context.Background()
	k, err := awskms.Open(ctx, e.createKey(t, types.KeySpecEccSecgP256k1, types.KeyUsageTypeSignVerify), e.options())
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	s := signer.Retry(signer.Observe(signer.Checked(k), signer.NewMetrics(reg)), signer.Backoff{First: time.Millisecond, Max: 5 * time.Millisecond})
	refuse := func(status int, body string, n int64) {
		f := func(w http.ResponseWriter, r *http.Request) bool {
			if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".Sign") || e.signs.Load() > n {
				return false
			}
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(status)
			fmt.Fprint(w, body)
			return true
		}
		e.signs.Store(0)
		e.before.Store(&f)
	}
	digest := sha256.Sum256([]byte("batch"))

	refuse(http.StatusTooManyRequests, `{"__type":"ThrottlingException","message":"Rate exceeded"}`, 6)
	if _, err := s.Sign(ctx, digest[:]); err != nil {
		t.Fatalf("throttled signing failed: %v", err)
	}
	refuse(http.StatusBadRequest, `{"__type":"LimitExceededException","message":"too many requests"}`, 2)
	if _, err := s.Sign(ctx, digest[:]); err != nil {
		t.Fatalf("LimitExceededException signing failed: %v", err)
	}
	want := `
# HELP ionode_signings_total Signings by key backend and outcome (ok, throttled, transient, error).
# TYPE ionode_signings_total counter
ionode_signings_total{backend="awskms",outcome="ok"} 2
ionode_signings_total{backend="awskms",outcome="throttled"} 8
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "ionode_signings_total"); err != nil {
		t.Fatal(err)
	}

	refuse(http.StatusServiceUnavailable, `{"__type":"KMSInternalException","message":"down"}`, 1000)
	_, err = s.Sign(ctx, digest[:])
	if !errors.Is(err, signer.ErrTransient) || errors.Is(err, signer.ErrThrottled) || e.signs.Load() != 4 {
		t.Fatalf("outage: err = %v after %d signings", err, e.signs.Load())
	}
	refuse(http.StatusBadRequest, `{"__type":"AccessDeniedException","message":"no"}`, 1000)
	if _, err = s.Sign(ctx, digest[:]); err == nil || errors.Is(err, signer.ErrTransient) || e.signs.Load() != 1 {
		t.Fatalf("access denied: err = %v after %d signings", err, e.signs.Load())
	}
}

// Compile-time check that the SDK client is what Key uses.
var _ awskms.API = (*kms.Client)(nil)
