package azurekv_test

import (
	"context"
	"crypto/sha256"
	"testing"

	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/azurekv"
)

// BenchmarkSign measures signings per second through the azkeys SDK (HTTPS, challenge authentication)
// against the recorded-contract vault on loopback, each verified as the node does. It measures the
// client path, not Key Vault, whose limit is about 2,000 signings per 10 s per vault.
//
//	go test ./signer/azurekv -run '^$' -bench Sign -benchtime 2s
func BenchmarkSign(b *testing.B) {
	v := startVault(b)
	ctx := context.Background()
	for _, key := range []vaultKey{
		{priv: newSecp256k1(b), kty: "EC-HSM", crv: "P-256K", ops: []string{"sign"}, enabled: true},
		{priv: newP256(b), kty: "EC-HSM", crv: "P-256", ops: []string{"sign"}, enabled: true},
	} {
		k, err := azurekv.Open(ctx, v.add("bench"+key.crv[len(key.crv)-1:], "", key), v.options())
		if err != nil {
			b.Fatal(err)
		}
		s := signer.Checked(k)
		b.Run("azurekv-contract/"+string(k.Algorithm()), func(b *testing.B) {
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
