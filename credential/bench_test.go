package credential_test

import (
	"context"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/internal/credtest"
)

// BenchmarkIssue measures VC-JWT issuance (claims, JSON, signature) with a local key.
func BenchmarkIssue(b *testing.B) {
	e := credtest.NewEnv(b)
	for _, alg := range credential.Algorithms {
		b.Run(alg, func(b *testing.B) {
			iss := issuer(e, e.WebIssuer(b, alg, "bench-issue", alg))
			c := employee("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
			b.ReportAllocs()
			cpu := credtest.CPUTime()
			for b.Loop() {
				if _, err := iss.Issue(c); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issued/s")
			b.ReportMetric(float64(b.N)/(credtest.CPUTime()-cpu).Seconds(), "issued/cpu-s")
		})
	}
}

// BenchmarkVerify measures VC-JWT verification of a did:web issuer's credential with the did:web cache
// warm: parse, resolution (cache hit), key lookup, signature, claims and validity checks, result.
func BenchmarkVerify(b *testing.B) {
	e := credtest.NewEnv(b)
	for _, alg := range credential.Algorithms {
		b.Run(alg, func(b *testing.B) {
			iss := issuer(e, e.WebIssuer(b, alg, "bench-verify", alg))
			c := employee("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
			c.ValidUntil = e.Now().Add(time.Hour)
			jwt, err := iss.Issue(c)
			if err != nil {
				b.Fatal(err)
			}
			v := verifier(e)
			ctx := context.Background()
			if r := v.VerifyCredential(ctx, jwt); !r.Valid { // warms the did:web cache
				b.Fatalf("%s %s", r.Code, r.Detail)
			}
			b.ReportAllocs()
			cpu := credtest.CPUTime()
			for b.Loop() {
				if r := v.VerifyCredential(ctx, jwt); !r.Valid {
					b.Fatal(r.Code)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verified/s")
			b.ReportMetric(float64(b.N)/(credtest.CPUTime()-cpu).Seconds(), "verified/cpu-s")
		})
	}
}
