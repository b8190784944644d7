package gcpkms_test

import (
	"context"
	"crypto/sha256"
	"testing"

	"cloud.google.com/go/kms/apiv1/kmspb"

	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/gcpkms"
)

// BenchmarkSign measures signings per second through the Cloud KMS client library (gRPC) against the
// recorded-contract service on loopback, each verified as the node does. It measures the client path,
// not Cloud KMS, whose quotas and round trips set the real figure.
//
//	go test ./signer/gcpkms -run '^$' -bench Sign -benchtime 2s
func BenchmarkSign(b *testing.B) {
	c := startKMS(b)
	ctx := context.Background()
	for _, v := range []kmsVersion{
		{newSecp256k1(b), kmspb.CryptoKeyVersion_EC_SIGN_SECP256K1_SHA256},
		{newP256(b), kmspb.CryptoKeyVersion_EC_SIGN_P256_SHA256},
	} {
		k, err := gcpkms.Open(ctx, c.add(v.alg.String(), v), c.options(b)...)
		if err != nil {
			b.Fatal(err)
		}
		defer k.Close()
		s := signer.Checked(k)
		b.Run("gcpkms-contract/"+string(k.Algorithm()), func(b *testing.B) {
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
