package sdjwt_test

import (
	"context"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/internal/credtest"
)

// BenchmarkVerify measures SD-JWT VC verification of a presentation with 10 Disclosures and a KB-JWT
// from a did:web issuer with the did:web cache warm: parse, issuer key (cache hit), issuer signature,
// 10 digests, KB-JWT signature and claims, validity, result. It sits next to credential's
// BenchmarkVerify (VC-JWT) for comparison: the extra cost is the second signature.
func BenchmarkVerify(b *testing.B) {
	e := credtest.NewEnv(b)
	holder := holderKey(b)
	for _, alg := range credential.Algorithms {
		b.Run(alg, func(b *testing.B) {
			signer := e.WebIssuer(b, alg, "bench-sd", alg)
			claims := map[string]any{}
			var names []string
			for _, n := range []string{"given_name", "family_name", "birthdate", "email", "phone_number", "street_address", "locality", "postal_code", "country", "age_over_18"} {
				claims[n] = n + "-value"
				names = append(names, n)
			}
			issued, err := (&sdjwt.Issuer{Signer: signer, Now: e.Now}).Issue(context.Background(), sdjwt.Claims{
				VCT: vct, Claims: claims, Disclosable: names, HolderKey: holder.Public(), ValidUntil: e.Now().Add(time.Hour),
			})
			if err != nil {
				b.Fatal(err)
			}
			pres, err := sdjwt.Present(issued, names, &sdjwt.KeyBinding{Signer: holder, Audience: audience, Nonce: nonce, Now: e.Now()})
			if err != nil {
				b.Fatal(err)
			}
			v := verifier(e)
			ctx := context.Background()
			opts := kbOpts()
			if r := v.Verify(ctx, pres, opts); !r.Valid || len(r.Disclosed) != 10 { // warms the did:web cache
				b.Fatalf("%s %s %d", r.Code, r.Detail, len(r.Disclosed))
			}
			b.ReportAllocs()
			cpu := credtest.CPUTime()
			for b.Loop() {
				if r := v.Verify(ctx, pres, opts); !r.Valid {
					b.Fatal(r.Code)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verified/s")
			b.ReportMetric(float64(b.N)/(credtest.CPUTime()-cpu).Seconds(), "verified/cpu-s")
		})
	}
}
