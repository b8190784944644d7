package oid4vci_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/credtest"
	"github.com/ionode/ionode/exchange/oid4vci"
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

// TestParsersLinear counts allocations for inputs of n and 2n elements: the parsers' work grows
// linearly with the input.
func TestParsersLinear(t *testing.T) {
	credReq := func(n int) []byte {
		return []byte(`{"credential_configuration_id":"x","proofs":{"jwt":[` + strings.Repeat(`"a.b.c",`, n) + `"a.b.c"]}}`)
	}
	form := func(n int) []byte {
		var b strings.Builder
		for k := range n {
			fmt.Fprintf(&b, "p%d=v&", k)
		}
		return []byte(b.String())
	}
	tests := []struct {
		name string
		run  func(n int) func()
	}{
		{"credential request", func(n int) func() {
			body := credReq(n)
			return func() { _, _ = oid4vci.ParseCredentialRequest(body) }
		}},
		{"token request", func(n int) func() {
			body := form(n)
			return func() { _, _ = oid4vci.ParseTokenRequest("application/x-www-form-urlencoded", body) }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const n = 200
			a1 := testing.AllocsPerRun(5, tt.run(n))
			a2 := testing.AllocsPerRun(5, tt.run(2*n))
			if a1 < n/2 {
				t.Fatalf("%v allocations for %d elements: the input does not exercise the parser", a1, n)
			}
			if a2 > 2.2*a1+20 {
				t.Fatalf("allocations grow faster than the input: %v for n, %v for 2n", a1, a2)
			}
		})
	}
}
