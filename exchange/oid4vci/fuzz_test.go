package oid4vci_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/worktest"
)

// FuzzCredentialRequest sends arbitrary bodies to the credential endpoint with a live access token: the
// request parser and the proof checks must refuse them with a code, never panic or issue.
func FuzzCredentialRequest(f *testing.F) {
	e := newEnv(f, true)
	ctx := context.Background()
	holder := credtest.KeyDID(f, credential.EdDSA)
	tok, err := e.Issuer.Token(ctx, tokenForm(preAuthCode(f, e.Offer(f, oid4vci.OfferRequest{ConfigurationIDs: []string{employee}})), ""))
	if err != nil {
		f.Fatal(err)
	}
	n, _ := e.Issuer.NewNonce(ctx)
	f.Add(credentialRequest(employee, proof(f, holder, map[string]any{"aud": "https://other.example", "iat": e.Now().Unix(), "nonce": n})))
	f.Add([]byte(`{"credential_configuration_id":"VerifiedEmployee","proof":{"proof_type":"jwt","jwt":"e30.e30.AA"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		resp, err := e.Issuer.Credential(ctx, tok.AccessToken, body)
		if err == nil || resp != nil {
			t.Fatalf("issued for %q", body)
		}
		if oid4vci.CodeOf(err) == "" || oid4vci.CodeOf(err) == oid4vci.CodeServerError {
			t.Fatalf("error without a client code: %v", err)
		}
	})
}

// FuzzProofJWT sends arbitrary proof JWTs in a well-formed credential request: the proof checks refuse
// them with invalid_proof or invalid_nonce, never panic or issue.
func FuzzProofJWT(f *testing.F) {
	e := newEnv(f, true)
	ctx := context.Background()
	holder := credtest.KeyDID(f, credential.ES256K)
	tok, err := e.Issuer.Token(ctx, tokenForm(preAuthCode(f, e.Offer(f, oid4vci.OfferRequest{ConfigurationIDs: []string{employee}})), ""))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(proof(f, holder, map[string]any{"aud": e.Issuer.URL, "iat": e.Now().Unix(), "nonce": "unknown"}))
	f.Add(proof(f, holder, map[string]any{"aud": []any{1, nil}, "iat": "x"}))
	f.Add("eyJhbGciOiJFUzI1NksiLCJ0eXAiOiJvcGVuaWQ0dmNpLXByb29mK2p3dCIsImp3ayI6e319.e30.AAAA")
	f.Fuzz(func(t *testing.T, jwt string) {
		resp, err := e.Issuer.Credential(ctx, tok.AccessToken, credentialRequest(employee, jwt))
		if err == nil || resp != nil {
			t.Fatalf("issued for %q", jwt)
		}
		if c := oid4vci.CodeOf(err); c != oid4vci.CodeInvalidProof && c != oid4vci.CodeInvalidNonce {
			t.Fatalf("code %q for %q: %v", c, jwt, err)
		}
	})
}

// FuzzTokenRequest parses arbitrary token request bodies and redeems them: unknown codes are refused.
func FuzzTokenRequest(f *testing.F) {
	e := newEnv(f, true)
	ctx := context.Background()
	f.Add([]byte("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code=abc&tx_code=1234"))
	f.Add([]byte("grant_type=authorization_code&code=x"))
	f.Add([]byte("a=%zz&&=;"))
	f.Fuzz(func(t *testing.T, body []byte) {
		form, err := oid4vci.ParseTokenRequest("application/x-www-form-urlencoded", body)
		if err != nil {
			if oid4vci.CodeOf(err) != oid4vci.CodeInvalidRequest {
				t.Fatalf("parse error %v", err)
			}
			return
		}
		if resp, err := e.Issuer.Token(ctx, form); err == nil || resp != nil {
			t.Fatalf("token for %q", body)
		}
	})
}

// TestCredentialRequestLinear: a credential request carrying each hostile JSON shape in an unknown
// member costs work linear in its size (within the size and depth bounds, so that it is parsed).
func TestCredentialRequestLinear(t *testing.T) {
	worktest.EachShape(t, 1000, 6, func(t *testing.T, n int, gen func(int) string) {
		body := func(n int) []byte {
			return []byte(`{"credential_configuration_id":"x","proofs":{"jwt":["a.b.c"]},"x":` + gen(n) + `}`)
		}
		worktest.Linear(t, n, body, func(in []byte) {
			if _, err := oid4vci.ParseCredentialRequest(in); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// TestTokenRequestLinear: a token request of n parameters costs work linear in n.
func TestTokenRequestLinear(t *testing.T) {
	form := func(n int) []byte {
		var b strings.Builder
		for k := range n {
			fmt.Fprintf(&b, "p%d=%%41v&", k)
		}
		return []byte(b.String())
	}
	worktest.Linear(t, 300, form, func(in []byte) {
		if _, err := oid4vci.ParseTokenRequest("application/x-www-form-urlencoded", in); err != nil {
			t.Fatal(err)
		}
	})
}
