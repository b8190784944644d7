package siop_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/siop"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/resolver"
)

const (
	clientID = "decentralized_identifier:did:web:verifier.example"
	nonce    = "n-0S6_WzA2Mj"
)

// idToken signs claims (iss = sub = the signer's DID, aud, nonce, iat, exp unless overridden; a nil
// value removes a claim) with s.
func idToken(t testing.TB, s *credential.Signer, now time.Time, override map[string]any) string {
	t.Helper()
	c := map[string]any{"iss": s.DID(), "sub": s.DID(), "aud": clientID, "nonce": nonce,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()}
	for k, v := range override {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	b, _ := json.Marshal(c)
	jwt, err := s.Sign(b, "JWT")
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

func TestVerify(t *testing.T) {
	env := credtest.NewEnv(t)
	now := env.Now()
	holder := credtest.KeyDID(t, credential.EdDSA)
	webDID, web := env.WebDID(t, []credtest.Method{
		{Fragment: "auth", Alg: credential.ES256K, Relationships: []string{resolver.Authentication}},
		{Fragment: "assert", Alg: credential.ES256, Relationships: []string{resolver.AssertionMethod}},
	}, "holder")
	stranger := credtest.KeyDID(t, credential.EdDSA)
	// impostor signs with its own key under the holder's kid.
	impostorKey, _ := credential.GenerateKey(credential.EdDSA)
	impostor, err := credential.NewSigner(holder.KID, impostorKey)
	if err != nil {
		t.Fatal(err)
	}
	ghostWeb, err := credential.NewSigner(env.Server.DID("nobody")+"#key-1", must(credential.GenerateKey(credential.ES256)))
	if err != nil {
		t.Fatal(err)
	}
	crossKID, err := credential.NewSigner(stranger.KID, must(credential.GenerateKey(credential.EdDSA)))
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		token string
		want  siop.Code
	}{
		{"did:key, EdDSA", idToken(t, holder, now, nil), ""},
		{"did:web authentication key, ES256K, aud as a list", idToken(t, web["auth"], now, map[string]any{"aud": []string{"x", clientID}}), ""},
		{"signed by another key under the holder's kid", idToken(t, impostor, now, nil), siop.CodeInvalidSignature},
		{"kid of another DID", idToken(t, crossKID, now, map[string]any{"iss": holder.DID(), "sub": holder.DID()}), siop.CodeKeyNotAuthorized},
		{"key not in authentication", idToken(t, web["assert"], now, nil), siop.CodeKeyNotAuthorized},
		{"unresolvable DID", idToken(t, ghostWeb, now, nil), siop.CodeUnresolvable},
		{"wrong audience", idToken(t, holder, now, map[string]any{"aud": "decentralized_identifier:did:web:other.example"}), siop.CodeAudience},
		{"wrong nonce", idToken(t, holder, now, map[string]any{"nonce": "another"}), siop.CodeNonce},
		{"no nonce", idToken(t, holder, now, map[string]any{"nonce": nil}), siop.CodeNonce},
		{"expired", idToken(t, holder, now.Add(-time.Hour), nil), siop.CodeExpired},
		{"issued in the future", idToken(t, holder, now.Add(time.Hour), nil), siop.CodeNotYetValid},
		{"iss is not sub", idToken(t, holder, now, map[string]any{"iss": "https://op.example"}), siop.CodeInvalid},
		{"sub is not a DID", idToken(t, holder, now, map[string]any{"iss": "alice", "sub": "alice"}), siop.CodeInvalid},
		{"no exp", idToken(t, holder, now, map[string]any{"exp": nil}), siop.CodeInvalid},
		{"no aud", idToken(t, holder, now, map[string]any{"aud": nil}), siop.CodeInvalid},
		{"not a JWS", "not.a.jws", siop.CodeInvalid},
		{"unsigned", "eyJhbGciOiJub25lIn0." + strings.Split(idToken(t, holder, now, nil), ".")[1] + ".", siop.CodeInvalid},
		{"over the size limit", idToken(t, holder, now, map[string]any{"pad": strings.Repeat("a", siop.MaxBytes)}), siop.CodeInvalid},
		{"deeply nested claims", idToken(t, holder, now, map[string]any{"pad": json.RawMessage(strings.Repeat("[", 20) + strings.Repeat("]", 20))}), siop.CodeInvalid},
	}
	v := &siop.Verifier{Resolver: env.Resolver, Now: env.Now}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub, err := v.Verify(context.Background(), tt.token, siop.Expect{Audience: clientID, Nonce: nonce})
			if got := siop.CodeOf(err); got != tt.want {
				t.Fatalf("code %q (%v), want %q", got, err, tt.want)
			}
			if tt.want == "" && sub != webDID && sub != holder.DID() {
				t.Fatalf("subject %q", sub)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
