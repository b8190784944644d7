package siop_test

import (
	"context"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/siop"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/nodetest"
)

// TestJoseInterop: ID Tokens signed by an independent JOSE implementation (panva/jose in Node.js) for
// did:jwk subjects verify, and the same tokens bound to another audience or nonce, or expired, do not.
func TestJoseInterop(t *testing.T) {
	nodetest.Require(t, "../interop", "jose")
	env := credtest.NewEnv(t)
	now := env.Now()
	in := []map[string]any{
		{"alg": credential.ES256, "aud": clientID, "nonce": nonce, "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()},
		{"alg": credential.EdDSA, "aud": clientID, "nonce": nonce, "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()},
		{"alg": credential.ES256, "aud": "decentralized_identifier:did:web:other.example", "nonce": nonce, "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()},
		{"alg": credential.ES256, "aud": clientID, "nonce": "another", "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()},
		{"alg": credential.EdDSA, "aud": clientID, "nonce": nonce, "iat": now.Add(-time.Hour).Unix(), "exp": now.Add(-50 * time.Minute).Unix()},
	}
	want := []siop.Code{"", "", siop.CodeAudience, siop.CodeNonce, siop.CodeExpired}
	var out []struct{ DID, IDToken string }
	nodetest.RunJSON(t, "../interop", "idtoken.mjs", nil, in, &out)
	if len(out) != len(in) {
		t.Fatalf("%d tokens for %d inputs", len(out), len(in))
	}
	v := &siop.Verifier{Resolver: env.Resolver, Now: env.Now}
	for i, o := range out {
		sub, err := v.Verify(context.Background(), o.IDToken, siop.Expect{Audience: clientID, Nonce: nonce})
		if siop.CodeOf(err) != want[i] || (err == nil && sub != o.DID) {
			t.Errorf("token %d (%v): subject %q, %v; want code %q", i, in[i]["alg"], sub, err, want[i])
		}
	}
}
