package siop_test

import (
	"context"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/siop"
	"github.com/ionode/ionode/internal/credtest"
)

// BenchmarkVerify verifies an EdDSA did:key ID Token: the cost an id_token adds to an exchange.
func BenchmarkVerify(b *testing.B) {
	env := credtest.NewEnv(b)
	holder := credtest.KeyDID(b, credential.EdDSA)
	tok := idToken(b, holder, env.Now(), nil)
	v := &siop.Verifier{Resolver: env.Resolver, Now: env.Now}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(context.Background(), tok, siop.Expect{Audience: clientID, Nonce: nonce}); err != nil {
			b.Fatal(err)
		}
	}
}
