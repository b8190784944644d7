//go:build cgo

package pkcs11_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/ionode/ionode/internal/softhsmtest"
	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/pkcs11"
)

// BenchmarkSign measures signings per second through each backend that runs here: keys in memory (the
// file and environment backend) and keys in a SoftHSM2 token through PKCS#11, from parallel goroutines
// (the token's sessions are pooled). Each signing is verified against the public key, as the node does
// (signer.Checked).
//
//	go test ./signer/pkcs11 -run '^$' -bench Sign -benchtime 2s
func BenchmarkSign(b *testing.B) {
	ctx := context.Background()
	cfg := softhsmtest.Token(b, "bench", "unused")
	cfg.Sessions = 4
	for _, alg := range []signer.Algorithm{signer.ES256K, signer.ES256, signer.EdDSA} {
		c := cfg
		c.URI.Object = string(alg)
		tok, err := pkcs11.Generate(ctx, c, alg)
		if err != nil {
			b.Fatal(err)
		}
		defer tok.Close()
		var priv crypto.PrivateKey
		switch alg {
		case signer.ES256K:
			priv, _ = secp256k1.GeneratePrivateKey()
		case signer.ES256:
			priv, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		case signer.EdDSA:
			_, priv, _ = ed25519.GenerateKey(rand.Reader)
		}
		local, err := signer.NewLocal("bench", "file", priv)
		if err != nil {
			b.Fatal(err)
		}
		for _, backend := range []struct {
			name string
			s    signer.Signer
		}{{"file", local}, {"pkcs11-softhsm2", tok}} {
			s := signer.Checked(backend.s)
			b.Run(backend.name+"/"+string(alg), func(b *testing.B) {
				digest := sha256.Sum256([]byte("bench"))
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := s.Sign(ctx, digest[:]); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signings/s")
			})
		}
	}
}
