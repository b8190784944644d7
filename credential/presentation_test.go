package credential_test

import (
	"context"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/resolver"
)

func TestVerifyPresentation(t *testing.T) {
	e := credtest.NewEnv(t)
	ctx := context.Background()
	iss := issuer(e, e.WebIssuer(t, credential.ES256K, "issuer"))
	holderDID, holderKeys := e.WebDID(t, []credtest.Method{
		{Fragment: "auth", Alg: credential.EdDSA, Relationships: []string{resolver.Authentication}},
		{Fragment: "assert", Alg: credential.ES256, Relationships: []string{resolver.AssertionMethod}},
	}, "holder")
	holder := &credential.Issuer{Signer: holderKeys["auth"], Now: e.Now}
	vc := mustIssue(t, iss, employee(holderDID))
	someoneElse := mustIssue(t, iss, employee("did:example:bob"))
	expiredClaims := employee(holderDID)
	expiredClaims.ValidFrom, expiredClaims.ValidUntil = e.Now().Add(-3*time.Hour), e.Now().Add(-2*time.Hour)
	expiredVC := mustIssue(t, iss, expiredClaims)

	present := func(h *credential.Issuer, vcs []string, aud, nonce string) string {
		t.Helper()
		vp, err := h.Present(vcs, aud, nonce, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return vp
	}
	const aud, nonce = "did:web:verifier.example", "n-0S6_WzA2Mj"
	opts := credential.PresentationOptions{Audience: aud, Nonce: nonce}
	tests := []struct {
		name string
		vp   string
		opts credential.PresentationOptions
		code credential.Code
	}{
		{"valid", present(holder, []string{vc}, aud, nonce), opts, ""},
		{"valid, no nonce requested", present(holder, []string{vc}, aud, ""), credential.PresentationOptions{Audience: aud}, ""},
		{"other audience", present(holder, []string{vc}, "did:web:other.example", nonce), opts, credential.CodeAudienceMismatch},
		{"no audience configured", present(holder, []string{vc}, aud, nonce), credential.PresentationOptions{}, credential.CodeAudienceMismatch},
		{"replayed nonce", present(holder, []string{vc}, aud, "old"), opts, credential.CodeNonceMismatch},
		{"missing nonce", present(holder, []string{vc}, aud, ""), opts, credential.CodeNonceMismatch},
		{"holder key not in authentication", present(&credential.Issuer{Signer: holderKeys["assert"], Now: e.Now}, []string{vc}, aud, nonce), opts, credential.CodeKeyNotAuthorized},
		{"credential about someone else", present(holder, []string{someoneElse}, aud, nonce), opts, credential.CodeHolderMismatch},
		{"credential about someone else allowed", present(holder, []string{someoneElse}, aud, nonce), credential.PresentationOptions{Audience: aud, Nonce: nonce, AllowUnboundCredentials: true}, ""},
		{"expired credential inside", present(holder, []string{vc, expiredVC}, aud, nonce), opts, credential.CodeExpired},
		{"a credential instead of a presentation", vc, opts, credential.CodeInvalidJWT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := verifier(e).VerifyPresentation(ctx, tt.vp, tt.opts)
			if tt.code == "" {
				if !r.Valid {
					t.Fatalf("invalid: %s %s %+v", r.Code, r.Detail, r.Checks)
				}
				if r.Presentation.Holder != holderDID || len(r.Credentials) != 1 || !r.Credentials[0].Valid {
					t.Fatalf("result %+v", r)
				}
				return
			}
			if r.Valid || r.Code != tt.code {
				t.Fatalf("valid=%v code=%q (%s), want %q", r.Valid, r.Code, r.Detail, tt.code)
			}
		})
	}
	// An expired presentation.
	vp := present(holder, []string{vc}, aud, nonce)
	e.Advance(10 * time.Minute)
	if r := verifier(e).VerifyPresentation(ctx, vp, opts); r.Code != credential.CodeExpired {
		t.Fatalf("stale presentation: %s", r.Code)
	}
}
