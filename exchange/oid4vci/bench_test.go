package oid4vci_test

import (
	"context"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/credtest"
)

// BenchmarkIssuanceExchange measures complete issuance exchanges after the offer: the token request,
// the nonce request, the holder signing its proof (EdDSA, did:key) and the credential request (proof
// check, nonce consumed, status-list entry from a status.Reserve over the file store, ES256K VC-JWT
// signed). Sessions are the in-process store of the tests. It
// reports exchanges/s over all goroutines.
func BenchmarkIssuanceExchange(b *testing.B) {
	e := newEnv(b, false)
	ctx := context.Background()
	holder := credtest.KeyDID(b, credential.EdDSA)
	codes := make(chan string, b.N)
	for range b.N {
		codes <- preAuthCode(b, e.Offer(b, oid4vci.OfferRequest{ConfigurationIDs: []string{employee}, Claims: map[string]any{"displayName": "Alice"}, TTL: time.Hour}))
	}
	close(codes)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tok, err := e.Issuer.Token(ctx, tokenForm(<-codes, ""))
			if err != nil {
				b.Error(err)
				return
			}
			n, err := e.Issuer.NewNonce(ctx)
			if err != nil {
				b.Error(err)
				return
			}
			p := proof(b, holder, map[string]any{"aud": e.Issuer.URL, "iat": time.Now().Unix(), "nonce": n})
			resp, err := e.Issuer.Credential(ctx, tok.AccessToken, credentialRequest(employee, p))
			if err != nil || len(resp.Credentials) != 1 {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "exchanges/s")
}
