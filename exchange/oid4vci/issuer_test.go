package oid4vci_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/resolver/key"
)

func TestIssuance(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	ionHolder := e.IONDID(t, credential.ES256K)
	p256, _ := credential.GenerateKey(credential.ES256)
	p256Signer, _ := credential.NewSigner("did:key:x#x", p256)
	p256DID, _ := key.DIDJWK(p256Signer.Public())
	holders := []struct {
		name string
		did  string
		sign func(nonce string) string
	}{}
	for _, alg := range []string{credential.EdDSA, credential.ES256K, credential.ES256} {
		h := credtest.KeyDID(t, alg)
		holders = append(holders, struct {
			name string
			did  string
			sign func(string) string
		}{"did:key " + alg, h.DID(), func(n string) string {
			return proof(t, h, map[string]any{"aud": e.Issuer.URL, "iat": e.Now().Unix(), "nonce": n})
		}})
	}
	holders = append(holders,
		struct {
			name string
			did  string
			sign func(string) string
		}{"did:ion ES256K", ionHolder.DID(), func(n string) string {
			return proof(t, ionHolder, map[string]any{"aud": []string{e.Issuer.URL}, "iat": e.Now().Unix(), "nonce": n})
		}},
		struct {
			name string
			did  string
			sign func(string) string
		}{"bare jwk ES256", p256DID, func(n string) string {
			return proofJWK(t, jose.ES256, p256, map[string]any{"aud": e.Issuer.URL, "iat": e.Now().Unix(), "nonce": n})
		}},
	)
	for _, h := range holders {
		for _, pin := range []string{"", "493817"} {
			t.Run(h.name+" pin="+strconv.Quote(pin), func(t *testing.T) {
				o := e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{employee}, Claims: map[string]any{"displayName": "Alice"}, PIN: pin})
				if o.PIN != pin {
					t.Fatalf("offer PIN %q", o.PIN)
				}
				jwt, err := e.Exchange(t, preAuthCode(t, o), pin, employee, h.sign)
				if err != nil {
					t.Fatal(err)
				}
				r := e.Verifier(e.Now).VerifyCredential(ctx, jwt)
				if !r.Valid {
					t.Fatalf("%s %s", r.Code, r.Detail)
				}
				vc := r.Credential
				if vc.Issuer != e.Signer.DID() || vc.Subject != h.did || len(vc.Types) != 2 || vc.Types[1] != "VerifiedEmployee" {
					t.Fatalf("credential %+v", vc)
				}
				if vc.ValidUntil == nil || !vc.ValidUntil.Equal(e.Now().Truncate(time.Second).Add(24*time.Hour)) {
					t.Fatalf("validUntil %v", vc.ValidUntil)
				}
				if len(vc.Status) != 1 || vc.Status[0].StatusListCredential != e.Status.URL(list) {
					t.Fatalf("status %+v", vc.Status)
				}
				// Revocation through the status list flips the verdict.
				idx, _ := strconv.Atoi(vc.Status[0].StatusListIndex)
				if err := e.Status.SetStatus(ctx, list, idx, true); err != nil {
					t.Fatal(err)
				}
				if r := e.Verifier(e.Now).VerifyCredential(ctx, jwt); r.Valid || r.Code != credential.CodeRevoked {
					t.Fatalf("after revocation: valid=%v code=%s", r.Valid, r.Code)
				}
			})
		}
	}
	t.Run("no status entry when the configuration has none", func(t *testing.T) {
		h := credtest.KeyDID(t, credential.EdDSA)
		o := e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{badge}})
		jwt, err := e.Exchange(t, preAuthCode(t, o), "", badge, func(n string) string {
			return proof(t, h, map[string]any{"aud": e.Issuer.URL, "iat": e.Now().Unix(), "nonce": n})
		})
		if err != nil {
			t.Fatal(err)
		}
		r := e.Verifier(e.Now).VerifyCredential(ctx, jwt)
		if !r.Valid || len(r.Credential.Status) != 0 || r.Credential.ValidUntil != nil {
			t.Fatalf("valid=%v %s status=%v until=%v", r.Valid, r.Code, r.Credential.Status, r.Credential.ValidUntil)
		}
	})
}

func wantCode(t *testing.T, err error, code oid4vci.Code) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	if !errors.Is(err, &oid4vci.Error{Code: code}) {
		t.Fatalf("error %v, want %s", err, code)
	}
}

func TestToken(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	const pin = "2468"
	tests := []struct {
		name  string
		steps func(t *testing.T)
	}{
		{"reused code", func(t *testing.T) {
			code := preAuthCode(t, e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{badge}}))
			_, err := e.Issuer.Token(ctx, tokenForm(code, ""))
			wantCode(t, err, "")
			_, err = e.Issuer.Token(ctx, tokenForm(code, ""))
			wantCode(t, err, oid4vci.CodeInvalidGrant)
		}},
		{"unknown code", func(t *testing.T) {
			_, err := e.Issuer.Token(ctx, tokenForm("nope", ""))
			wantCode(t, err, oid4vci.CodeInvalidGrant)
		}},
		{"expired code", func(t *testing.T) {
			code := preAuthCode(t, e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{badge}, TTL: time.Minute}))
			e.Advance(time.Minute)
			_, err := e.Issuer.Token(ctx, tokenForm(code, ""))
			wantCode(t, err, oid4vci.CodeInvalidGrant)
		}},
		{"wrong grant type", func(t *testing.T) {
			f := tokenForm("x", "")
			f.Set("grant_type", "authorization_code")
			_, err := e.Issuer.Token(ctx, f)
			wantCode(t, err, oid4vci.CodeUnsupportedGrantType)
		}},
		{"no code", func(t *testing.T) {
			_, err := e.Issuer.Token(ctx, tokenForm("", ""))
			wantCode(t, err, oid4vci.CodeInvalidRequest)
		}},
		{"missing tx_code", func(t *testing.T) {
			code := preAuthCode(t, e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{badge}, PIN: pin}))
			_, err := e.Issuer.Token(ctx, tokenForm(code, ""))
			wantCode(t, err, oid4vci.CodeInvalidGrant)
			_, err = e.Issuer.Token(ctx, tokenForm(code, pin)) // a missing PIN is no wrong try
			wantCode(t, err, "")
		}},
		{"wrong tx_code, locked, then right", func(t *testing.T) {
			code := preAuthCode(t, e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{badge}, PIN: pin}))
			_, err := e.Issuer.Token(ctx, tokenForm(code, "1111"))
			wantCode(t, err, oid4vci.CodeInvalidGrant)
			_, err = e.Issuer.Token(ctx, tokenForm(code, pin))
			wantCode(t, err, oid4vci.CodeSlowDown)
			e.Advance(time.Second)
			_, err = e.Issuer.Token(ctx, tokenForm(code, pin))
			wantCode(t, err, "")
		}},
		{"wrong tx_codes burn the code", func(t *testing.T) {
			code := preAuthCode(t, e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{badge}, PIN: pin, TTL: time.Hour}))
			for k := range 5 {
				_, err := e.Issuer.Token(ctx, tokenForm(code, "0000"))
				wantCode(t, err, oid4vci.CodeInvalidGrant)
				_, err = e.Issuer.Token(ctx, tokenForm(code, "0000"))
				if k < 4 {
					wantCode(t, err, oid4vci.CodeSlowDown) // the lock doubles: 1s, 2s, 4s …
				} else {
					wantCode(t, err, oid4vci.CodeInvalidGrant) // burned
				}
				e.Advance(time.Second << k)
			}
			_, err := e.Issuer.Token(ctx, tokenForm(code, pin))
			wantCode(t, err, oid4vci.CodeInvalidGrant)
		}},
		{"generated PIN", func(t *testing.T) {
			o := e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{badge}, PINLength: 6})
			if len(o.PIN) != 6 {
				t.Fatalf("PIN %q", o.PIN)
			}
			_, err := e.Issuer.Token(ctx, tokenForm(preAuthCode(t, o), o.PIN))
			wantCode(t, err, "")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.steps)
	}
}

func TestCredentialFailures(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	holder := credtest.KeyDID(t, credential.EdDSA)
	stranger := credtest.KeyDID(t, credential.EdDSA)
	_, authOnly := e.WebDID(t, []credtest.Method{{Fragment: "assert", Alg: credential.EdDSA, Relationships: []string{"assertionMethod"}}}, "holder")
	good := func(n string) map[string]any {
		return map[string]any{"aud": e.Issuer.URL, "iat": e.Now().Unix(), "nonce": n}
	}
	with := func(n string, k string, v any) map[string]any {
		c := good(n)
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	tests := []struct {
		name   string
		config string
		body   func(nonce string) []byte
		code   oid4vci.Code
	}{
		{"valid", employee, func(n string) []byte { return credentialRequest(employee, proof(t, holder, good(n))) }, ""},
		{"wrong nonce", employee, func(n string) []byte { return credentialRequest(employee, proof(t, holder, good("other"))) }, oid4vci.CodeInvalidNonce},
		{"no nonce", employee, func(n string) []byte { return credentialRequest(employee, proof(t, holder, with(n, "nonce", nil))) }, oid4vci.CodeInvalidNonce},
		{"wrong audience", employee, func(n string) []byte {
			return credentialRequest(employee, proof(t, holder, with(n, "aud", "https://evil.example")))
		}, oid4vci.CodeInvalidProof},
		{"no iat", employee, func(n string) []byte { return credentialRequest(employee, proof(t, holder, with(n, "iat", nil))) }, oid4vci.CodeInvalidProof},
		{"old iat", employee, func(n string) []byte {
			return credentialRequest(employee, proof(t, holder, with(n, "iat", e.Now().Add(-6*time.Minute).Unix())))
		}, oid4vci.CodeInvalidProof},
		{"future iat", employee, func(n string) []byte {
			return credentialRequest(employee, proof(t, holder, with(n, "iat", e.Now().Add(2*time.Minute).Unix())))
		}, oid4vci.CodeInvalidProof},
		{"wrong typ", employee, func(n string) []byte {
			b := mustJSON(t, good(n))
			jwt, _ := holder.Sign(b, "JWT")
			return credentialRequest(employee, jwt)
		}, oid4vci.CodeInvalidProof},
		{"kid of another key", employee, func(n string) []byte {
			forged, _ := credential.NewSigner(holder.KID, stranger.PrivateKey())
			return credentialRequest(employee, proof(t, forged, good(n)))
		}, oid4vci.CodeInvalidProof},
		{"key not in authentication", employee, func(n string) []byte { return credentialRequest(employee, proof(t, authOnly["assert"], good(n))) }, oid4vci.CodeInvalidProof},
		{"kid not a DID URL", employee, func(n string) []byte {
			s, _ := credential.NewSigner(holder.KID, holder.PrivateKey())
			s.KID = "key-1"
			return credentialRequest(employee, proof(t, s, good(n)))
		}, oid4vci.CodeInvalidProof},
		{"not a JWT", employee, func(n string) []byte { return credentialRequest(employee, "a.b.c") }, oid4vci.CodeInvalidProof},
		{"no proof", employee, func(n string) []byte { return []byte(`{"credential_configuration_id":"` + employee + `"}`) }, oid4vci.CodeInvalidProof},
		{"two proofs", employee, func(n string) []byte {
			p := proof(t, holder, good(n))
			return mustJSON(t, map[string]any{"credential_configuration_id": employee, "proofs": map[string]any{"jwt": []string{p, p}}})
		}, oid4vci.CodeInvalidProof},
		{"draft proof object", employee, func(n string) []byte {
			return mustJSON(t, map[string]any{"credential_configuration_id": employee, "proof": map[string]any{"proof_type": "jwt", "jwt": proof(t, holder, good(n))}})
		}, ""},
		{"other proof type", employee, func(n string) []byte {
			return mustJSON(t, map[string]any{"credential_configuration_id": employee, "proof": map[string]any{"proof_type": "ldp_vp", "jwt": "x"}})
		}, oid4vci.CodeInvalidProof},
		{"configuration not offered", badge, func(n string) []byte { return credentialRequest(badge, proof(t, holder, good(n))) }, oid4vci.CodeUnknownCredentialConfiguration},
		{"unknown configuration", "Nope", func(n string) []byte { return credentialRequest("Nope", proof(t, holder, good(n))) }, oid4vci.CodeUnknownCredentialConfiguration},
		{"garbage body", employee, func(string) []byte { return []byte("{") }, oid4vci.CodeInvalidCredentialRequest},
		{"deep body", employee, func(string) []byte { return []byte(`{"a":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}`) }, oid4vci.CodeInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := preAuthCode(t, e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{employee}}))
			tok, err := e.Issuer.Token(ctx, tokenForm(code, ""))
			if err != nil {
				t.Fatal(err)
			}
			n, _ := e.Issuer.NewNonce(ctx)
			_, err = e.Issuer.Credential(ctx, tok.AccessToken, tt.body(n))
			wantCode(t, err, tt.code)
		})
	}
	t.Run("replays", func(t *testing.T) {
		code := preAuthCode(t, e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{employee, badge}}))
		tok, _ := e.Issuer.Token(ctx, tokenForm(code, ""))
		n, _ := e.Issuer.NewNonce(ctx)
		p := proof(t, holder, good(n))
		_, err := e.Issuer.Credential(ctx, tok.AccessToken, credentialRequest(employee, p))
		wantCode(t, err, "")
		// The same proof again (its nonce is used), then a fresh one for an issued configuration.
		_, err = e.Issuer.Credential(ctx, tok.AccessToken, credentialRequest(badge, p))
		wantCode(t, err, oid4vci.CodeInvalidNonce)
		n, _ = e.Issuer.NewNonce(ctx)
		_, err = e.Issuer.Credential(ctx, tok.AccessToken, credentialRequest(employee, proof(t, holder, good(n))))
		wantCode(t, err, oid4vci.CodeInvalidCredentialRequest)
		n, _ = e.Issuer.NewNonce(ctx)
		_, err = e.Issuer.Credential(ctx, tok.AccessToken, credentialRequest(badge, proof(t, holder, good(n))))
		wantCode(t, err, "")
	})
	t.Run("expired token", func(t *testing.T) {
		code := preAuthCode(t, e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{employee}}))
		tok, _ := e.Issuer.Token(ctx, tokenForm(code, ""))
		n, _ := e.Issuer.NewNonce(ctx)
		e.Advance(5 * time.Minute)
		_, err := e.Issuer.Credential(ctx, tok.AccessToken, credentialRequest(employee, proof(t, holder, good(n))))
		wantCode(t, err, oid4vci.CodeInvalidToken)
	})
	t.Run("unknown token", func(t *testing.T) {
		_, err := e.Issuer.Credential(ctx, "nope", credentialRequest(employee, "x"))
		wantCode(t, err, oid4vci.CodeInvalidToken)
	})
}

// TestIssuerAlgorithms: the node's issuer key may be ES256K, EdDSA or ES256.
func TestIssuerAlgorithms(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	holder := credtest.KeyDID(t, credential.EdDSA)
	for _, alg := range credential.Algorithms {
		t.Run(alg, func(t *testing.T) {
			signer := credtest.KeyDID(t, alg)
			iss := &oid4vci.Issuer{URL: e.Issuer.URL, Config: e.Issuer.Config, Credentials: &credential.Issuer{Signer: signer, Now: e.Now},
				Status: e.Issuer.Status, StatusList: list, Holders: e.Resolver, Sessions: e.Sessions, Now: e.Now}
			if err := iss.Init(); err != nil {
				t.Fatal(err)
			}
			o, err := iss.CreateOffer(ctx, oid4vci.OfferRequest{ConfigurationIDs: []string{badge}})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := iss.Token(ctx, tokenForm(preAuthCode(t, o), ""))
			if err != nil {
				t.Fatal(err)
			}
			n, _ := iss.NewNonce(ctx)
			resp, err := iss.Credential(ctx, tok.AccessToken, credentialRequest(badge, proof(t, holder, map[string]any{"aud": iss.URL, "iat": e.Now().Unix(), "nonce": n})))
			if err != nil {
				t.Fatal(err)
			}
			r := e.Verifier(e.Now).VerifyCredential(ctx, resp.Credentials[0].Credential)
			if !r.Valid || r.Credential.Issuer != signer.DID() || !slices.Contains(r.Checks, credential.Check{Name: credential.CheckSignature, Outcome: credential.Pass, Detail: alg}) {
				t.Fatalf("valid=%v %s %+v", r.Valid, r.Code, r.Checks)
			}
		})
	}
}
