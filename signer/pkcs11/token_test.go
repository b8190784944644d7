//go:build cgo

package pkcs11_test

import (
	"context"
	"crypto"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/ionode/ionode/internal/softhsmtest"
	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/pkcs11"
)

func TestGenerateOpenSign(t *testing.T) {
	ctx := context.Background()
	cfg := softhsmtest.Token(t, "ionode", "unused")
	for _, alg := range []signer.Algorithm{signer.ES256K, signer.ES256, signer.EdDSA} {
		t.Run(string(alg), func(t *testing.T) {
			c := cfg
			c.URI.Object = "key-" + string(alg)
			gen, err := pkcs11.Generate(ctx, c, alg)
			if err != nil {
				t.Fatal(err)
			}
			pub := gen.Public()
			if err := gen.Close(); err != nil {
				t.Fatal(err)
			}
			k, err := pkcs11.Open(ctx, c) // found again by label
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			if k.Algorithm() != alg || k.Backend() != "pkcs11" {
				t.Fatalf("%s %s", k.Algorithm(), k.Backend())
			}
			if got, _ := signer.AlgorithmOf(k.Public()); got != alg {
				t.Fatalf("public key of %s", got)
			}
			if !samePub(pub, k.Public()) {
				t.Fatal("the reopened key has another public key")
			}
			if err := signer.Check(ctx, k); err != nil {
				t.Fatal(err)
			}
			sig, err := signer.SignMessage(ctx, k, []byte("hello"))
			if err != nil {
				t.Fatal(err)
			}
			data := []byte("hello")
			if alg != signer.EdDSA {
				h := sha256.Sum256(data)
				data = h[:]
			}
			if !signer.Verify(k.Public(), data, sig) {
				t.Fatal("signature does not verify")
			}
			if _, err := pkcs11.Generate(ctx, c, alg); !errors.Is(err, pkcs11.ErrKeyExists) {
				t.Fatalf("second generate with the same label: %v", err)
			}
		})
	}
}

func samePub(a, b crypto.PublicKey) bool {
	if ka, ok := a.(*secp256k1.PublicKey); ok {
		kb, ok := b.(*secp256k1.PublicKey)
		return ok && ka.IsEqual(kb)
	}
	e, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && e.Equal(b)
}

// TestLowS signs many times with the token's secp256k1 key: SoftHSM2 returns either S, the key must
// always give the low one.
func TestLowS(t *testing.T) {
	ctx := context.Background()
	cfg := softhsmtest.Token(t, "ionode", "writer")
	k, err := pkcs11.Generate(ctx, cfg, signer.ES256K)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	for i := range 64 {
		d := sha256.Sum256([]byte{byte(i)})
		sig, err := k.Sign(ctx, d[:])
		if err != nil {
			t.Fatal(err)
		}
		low, _ := signer.LowS(sig)
		if string(low) != string(sig) {
			t.Fatalf("signing %d has a high S", i)
		}
	}
}

func TestConcurrentSessions(t *testing.T) {
	ctx := context.Background()
	cfg := softhsmtest.Token(t, "ionode", "issuer")
	cfg.Sessions = 3
	k, err := pkcs11.Generate(ctx, cfg, signer.ES256)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := range 32 {
		wg.Go(func() {
			d := sha256.Sum256([]byte{byte(i)})
			sig, err := k.Sign(ctx, d[:])
			if err == nil && !signer.Verify(k.Public(), d[:], sig) {
				err = signer.ErrBadSignature
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestBadConfiguration checks that each misconfiguration fails at open with its own error and a line
// that names what to fix.
func TestBadConfiguration(t *testing.T) {
	ctx := context.Background()
	cfg := softhsmtest.Token(t, "ionode", "writer")
	k, err := pkcs11.Generate(ctx, cfg, signer.ES256K)
	if err != nil {
		t.Fatal(err)
	}
	k.Close()
	wrongPIN := filepath.Join(t.TempDir(), "pin")
	os.WriteFile(wrongPIN, []byte("000000"), 0o600)
	tests := []struct {
		name   string
		change func(c *pkcs11.Config)
		want   error
	}{
		{"wrong PIN", func(c *pkcs11.Config) { c.PINFile = wrongPIN }, pkcs11.ErrWrongPIN},
		{"unknown label", func(c *pkcs11.Config) { c.URI.Object = "nope" }, pkcs11.ErrKeyNotFound},
		{"unknown token", func(c *pkcs11.Config) { c.URI.Token = "other" }, pkcs11.ErrTokenNotFound},
		{"no module", func(c *pkcs11.Config) { c.ModulePath = "/nonexistent/libpkcs11.so" }, pkcs11.ErrModule},
		{"no PIN", func(c *pkcs11.Config) { c.PINFile = ""; c.PINEnv = "IONODE_TEST_UNSET_PIN" }, pkcs11.ErrNoPIN},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg
			tc.change(&c)
			k, err := pkcs11.Open(ctx, c)
			if !errors.Is(err, tc.want) {
				if k != nil {
					k.Close()
				}
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			t.Log(err)
		})
	}
	t.Run("PIN from the environment", func(t *testing.T) {
		c := cfg
		c.PINFile = ""
		t.Setenv(pkcs11.DefaultPINEnv, softhsmtest.PIN)
		k, err := pkcs11.Open(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		k.Close()
	})
}

// TestDroppedSessions: when the token drops every session, the next signing fails as transient and the
// one after it (what signer.Retry does) opens a new session, logs in again and signs.
func TestDroppedSessions(t *testing.T) {
	ctx := context.Background()
	cfg := softhsmtest.Token(t, "ionode", "writer")
	cfg.Sessions = 1
	k, err := pkcs11.Generate(ctx, cfg, signer.ES256K)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	d := sha256.Sum256([]byte("x"))
	if _, err := k.Sign(ctx, d[:]); err != nil {
		t.Fatal(err)
	}
	if err := pkcs11.DropSessions(k); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Sign(ctx, d[:]); !errors.Is(err, signer.ErrTransient) {
		t.Fatalf("after the sessions were dropped: err = %v, want ErrTransient", err)
	}
	if _, err := k.Sign(ctx, d[:]); err != nil {
		t.Fatalf("the next signing did not recover: %v", err)
	}
	if err := pkcs11.DropSessions(k); err != nil {
		t.Fatal(err)
	}
	s := signer.Retry(k, signer.Backoff{First: time.Millisecond})
	if _, err := s.Sign(ctx, d[:]); err != nil {
		t.Fatalf("Retry did not recover: %v", err)
	}
}
