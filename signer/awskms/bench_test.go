package awskms_test

import (
	"context"
	"crypto/sha256"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/awskms"
)

// BenchmarkSign measures signings per second through the AWS SDK against Local KMS on loopback, each
// verified as the node does. It measures the client path and the emulator, not AWS: a real KMS adds a
// network round trip and its request quota.
//
//	go test ./signer/awskms -run '^$' -bench Sign -benchtime 2s
func BenchmarkSign(b *testing.B) {
	e := startEmulator(b)
	ctx := context.Background()
	for _, spec := range []types.KeySpec{types.KeySpecEccSecgP256k1, types.KeySpecEccNistP256} {
		k, err := awskms.Open(ctx, e.createKey(b, spec, types.KeyUsageTypeSignVerify), e.options())
		if err != nil {
			b.Fatal(err)
		}
		s := signer.Checked(k)
		b.Run("awskms-localkms/"+string(k.Algorithm()), func(b *testing.B) {
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
