package signer_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	btcecdsa "github.com/btcsuite/btcd/btcec/v2/ecdsa"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/signer"
)

func newLocal(t testing.TB, alg signer.Algorithm) *signer.Local {
	t.Helper()
	var key crypto.PrivateKey
	var err error
	switch alg {
	case signer.ES256K:
		key, err = secp256k1.GeneratePrivateKey()
	case signer.ES256:
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case signer.EdDSA:
		_, key, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	l, err := signer.NewLocal("test:"+string(alg), "file", key)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLocalSignVerify(t *testing.T) {
	ctx := context.Background()
	for _, alg := range []signer.Algorithm{signer.ES256K, signer.ES256, signer.EdDSA} {
		t.Run(string(alg), func(t *testing.T) {
			s := newLocal(t, alg)
			if s.Algorithm() != alg {
				t.Fatalf("algorithm %s", s.Algorithm())
			}
			if got, err := signer.AlgorithmOf(s.Public()); err != nil || got != alg {
				t.Fatalf("AlgorithmOf = %s, %v", got, err)
			}
			msg := []byte("hello")
			sig, err := signer.SignMessage(ctx, s, msg)
			if err != nil {
				t.Fatal(err)
			}
			data := msg
			if alg != signer.EdDSA {
				h := sha256.Sum256(msg)
				data = h[:]
			}
			if !signer.Verify(s.Public(), data, sig) {
				t.Fatal("signature does not verify")
			}
			sig[5] ^= 1
			if signer.Verify(s.Public(), data, sig) {
				t.Fatal("a changed signature verifies")
			}
			if err := signer.Check(ctx, signer.Checked(s)); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(fmt.Sprintf("%v %+v %#v", s, s, s), "D:") {
				t.Fatal("the key prints its secret")
			}
		})
	}
}

func TestDigestSize(t *testing.T) {
	s := newLocal(t, signer.ES256K)
	if _, err := s.Sign(context.Background(), []byte("short")); !errors.Is(err, signer.ErrInput) {
		t.Fatalf("err = %v, want ErrInput", err)
	}
}

// highS returns a secp256k1 signature of digest with S in the upper half (valid, but not standard).
func highS(t *testing.T, s signer.Signer, digest []byte) []byte {
	t.Helper()
	sig, err := s.Sign(context.Background(), digest)
	if err != nil {
		t.Fatal(err)
	}
	var sc secp256k1.ModNScalar
	sc.SetByteSlice(sig[32:])
	sc.Negate()
	out := append([]byte{}, sig...)
	sc.PutBytesUnchecked(out[32:])
	return out
}

func TestLowSAndDER(t *testing.T) {
	s := newLocal(t, signer.ES256K)
	digest := sha256.Sum256([]byte("tx"))
	low, err := s.Sign(context.Background(), digest[:])
	if err != nil {
		t.Fatal(err)
	}
	high := highS(t, s, digest[:])
	if !signer.Verify(s.Public(), digest[:], high) {
		t.Fatal("the high-S twin should verify too")
	}
	norm, err := signer.LowS(high)
	if err != nil {
		t.Fatal(err)
	}
	if string(norm) != string(low) {
		t.Fatal("LowS did not give the low-S signature")
	}
	der, err := signer.DER(high)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := btcecdsa.ParseDERSignature(der)
	if err != nil {
		t.Fatal(err)
	}
	if !parsed.Verify(digest[:], s.Public().(*secp256k1.PublicKey)) {
		t.Fatal("DER signature does not verify")
	}
	// Bitcoin's strict encoding: low S means the S integer has no 33rd byte and its top bit clear.
	lowDER, _ := signer.DER(low)
	if string(der) != string(lowDER) {
		t.Fatal("DER of the high-S signature is not the low-S encoding")
	}
	for _, bad := range [][]byte{nil, make([]byte, 64), append(low[:32:32], make([]byte, 32)...)} {
		if _, err := signer.LowS(bad); !errors.Is(err, signer.ErrBadSignature) {
			t.Fatalf("LowS(%x) err = %v", bad, err)
		}
	}
}

// flaky fails with err for its first n signings.
type flaky struct {
	signer.Signer
	n     int
	err   error
	calls int
}

func (f *flaky) Sign(ctx context.Context, data []byte) ([]byte, error) {
	f.calls++
	if f.calls <= f.n {
		return nil, f.err
	}
	return f.Signer.Sign(ctx, data)
}

// wrongKey signs with another key than the one it reports.
type wrongKey struct {
	signer.Signer
	other signer.Signer
}

func (w wrongKey) Sign(ctx context.Context, data []byte) ([]byte, error) {
	return w.other.Sign(ctx, data)
}

func TestChecked(t *testing.T) {
	s := newLocal(t, signer.ES256K)
	bad := signer.Checked(wrongKey{s, newLocal(t, signer.ES256K)})
	digest := sha256.Sum256(nil)
	if _, err := bad.Sign(context.Background(), digest[:]); !errors.Is(err, signer.ErrBadSignature) {
		t.Fatalf("err = %v, want ErrBadSignature", err)
	}
	if err := signer.Check(context.Background(), wrongKey{s, newLocal(t, signer.ES256K)}); !errors.Is(err, signer.ErrBadSignature) {
		t.Fatalf("Check err = %v", err)
	}
}

func TestRetry(t *testing.T) {
	digest := sha256.Sum256(nil)
	transient := fmt.Errorf("throttled: %w", signer.ErrTransient)
	permanent := errors.New("wrong PIN")
	tests := []struct {
		name      string
		n         int
		err       error
		wantCalls int
		wantErr   error
	}{
		{"recovers", 2, transient, 3, nil},
		{"gives up", 10, transient, 4, signer.ErrTransient},
		{"permanent", 10, permanent, 1, permanent},
		// Throttling does not use up the attempts: ten 429s in a row still end in a signature.
		{"waits out throttling", 10, fmt.Errorf("HTTP 429: %w", signer.ErrThrottled), 11, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &flaky{Signer: newLocal(t, signer.ES256K), n: tc.n, err: tc.err}
			r := signer.Retry(f, signer.Backoff{First: time.Millisecond})
			_, err := r.Sign(context.Background(), digest[:])
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if f.calls != tc.wantCalls {
				t.Fatalf("%d calls, want %d", f.calls, tc.wantCalls)
			}
		})
	}
	t.Run("throttling past ThrottleFor fails", func(t *testing.T) {
		f := &flaky{Signer: newLocal(t, signer.ES256K), n: 100, err: signer.ErrThrottled}
		_, err := signer.Retry(f, signer.Backoff{First: time.Millisecond, ThrottleFor: time.Nanosecond}).Sign(context.Background(), digest[:])
		if !errors.Is(err, signer.ErrThrottled) || f.calls != 4 {
			t.Fatalf("err = %v after %d calls", err, f.calls)
		}
	})
	t.Run("context ends the wait", func(t *testing.T) {
		f := &flaky{Signer: newLocal(t, signer.ES256K), n: 10, err: transient}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := signer.Retry(f, signer.Backoff{Attempts: 100, First: time.Hour}).Sign(ctx, digest[:])
		if !errors.Is(err, context.DeadlineExceeded) || f.calls != 1 {
			t.Fatalf("err = %v after %d calls", err, f.calls)
		}
	})
}

func TestObserve(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := signer.NewMetrics(reg)
	f := &flaky{Signer: newLocal(t, signer.ES256K), n: 1, err: fmt.Errorf("x: %w", signer.ErrTransient)}
	s := signer.Observe(f, m)
	digest := sha256.Sum256(nil)
	_, _ = s.Sign(context.Background(), digest[:])
	_, _ = s.Sign(context.Background(), digest[:])
	want := `
# HELP ionode_signings_total Signings by key backend and outcome (ok, throttled, transient, error).
# TYPE ionode_signings_total counter
ionode_signings_total{backend="file",outcome="ok"} 1
ionode_signings_total{backend="file",outcome="transient"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "ionode_signings_total"); err != nil {
		t.Fatal(err)
	}
	if n := testutil.CollectAndCount(reg, "ionode_signing_duration_seconds"); n != 1 {
		t.Fatalf("%d latency series", n)
	}
}

// TestION checks that an ION operation signed through a signer is the one ion-sdk's LocalSigner makes
// with the same private JWK (both RFC 6979), and that a signer with a mismatched key is refused.
func TestION(t *testing.T) {
	l := newLocal(t, signer.ES256K)
	priv := l.PrivateKey().(*secp256k1.PrivateKey)
	jwk, err := sidetree.ES256KFromPrivate(priv.Serialize())
	if err != nil {
		t.Fatal(err)
	}
	key, err := signer.ION(context.Background(), l)
	if err != nil {
		t.Fatal(err)
	}
	if key.PublicJWK() != jwk.Public() {
		t.Fatalf("public JWK %+v, want %+v", key.PublicJWK(), jwk.Public())
	}
	next, _ := sidetree.GenerateES256K(rand.Reader)
	p := sidetree.Mainnet().Latest()
	suffix := "EiDyOQbbZAa3aiRzeCkV7LOx3SERjjH93EXoIM3UoN4oWg"
	viaSigner, err := sidetree.NewDeactivateRequest(suffix, key, p)
	if err != nil {
		t.Fatal(err)
	}
	viaJWK, err := sidetree.NewDeactivateRequest(suffix, jwk, p)
	if err != nil {
		t.Fatal(err)
	}
	if string(viaSigner.Stringify()) != string(viaJWK.Stringify()) {
		t.Fatalf("signer path\n%s\nJWK path\n%s", viaSigner.Stringify(), viaJWK.Stringify())
	}
	if _, err := sidetree.NewUpdateRequest(suffix, key, next, sidetree.UpdateChanges{}, p); err != nil {
		t.Fatal(err)
	}
	bad, _ := signer.ION(context.Background(), wrongKey{l, newLocal(t, signer.ES256K)})
	if _, err := sidetree.NewDeactivateRequest(suffix, bad, p); err == nil {
		t.Fatal("a signature by another key was accepted")
	}
	if _, err := signer.ION(context.Background(), newLocal(t, signer.ES256)); !errors.Is(err, signer.ErrUnsupported) {
		t.Fatalf("P-256 key: err = %v", err)
	}
}
