package policy_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/linkeddomains"
	"github.com/ionode/ionode/credential/policy"
	"github.com/ionode/ionode/internal/credtest"
)

func linked(origins ...string) []map[string]any {
	return []map[string]any{{"id": "#linkeddomains", "type": "LinkedDomains", "serviceEndpoint": map[string]any{"origins": origins}}}
}

func TestPolicy(t *testing.T) {
	ctx := context.Background()
	e := credtest.NewEnv(t)
	origin := e.Server.Origin()
	key := []credtest.Method{{Fragment: "key-1", Alg: credential.EdDSA}}
	listedDID, listed := e.WebDID(t, key, "listed")
	_, unlisted := e.WebDID(t, key, "unlisted")
	_, linkedIssuer := e.WebDIDWithServices(t, key, linked(origin), "linked")
	_, claimsOnly := e.WebDIDWithServices(t, key, linked(origin), "claims-only")
	_, wrongOrigin := e.WebDIDWithServices(t, key, linked(origin), "wrong-origin")
	_, expiredLink := e.WebDIDWithServices(t, key, linked(origin), "expired-link")

	// The origin's DID configuration: a good linkage for "linked", one for another origin by
	// "wrong-origin", an expired one by "expired-link", and none by "claims-only".
	good, err := linkeddomains.Create(linkedIssuer["key-1"], origin, e.Now(), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := linkeddomains.Create(wrongOrigin["key-1"], "https://elsewhere.example", e.Now(), 24*time.Hour)
	stale, _ := linkeddomains.Create(expiredLink["key-1"], origin, e.Now().Add(-48*time.Hour), 24*time.Hour)
	e.Server.Mux.Handle(linkeddomains.WellKnownPath, linkeddomains.Handler(good, other, stale))

	p, err := policy.Parse(fmt.Appendf(nil, `{"trustedIssuers": [
		{"credentialTypes": ["VerifiedEmployee"], "dids": [%q]},
		{"credentialTypes": ["VerifiedEmployee", "Badge"], "linkedDomains": [%q]}
	]}`, listedDID, origin))
	if err != nil {
		t.Fatal(err)
	}
	core := &credential.Verifier{Resolver: e.Resolver, Now: e.Now, IgnoreStatus: true}
	p.Links = &linkeddomains.Verifier{Client: e.Client, Credentials: core}
	p.Now = e.Now
	v := *core
	v.Policy = p

	holder := credtest.KeyDID(t, credential.EdDSA).DID()
	tests := []struct {
		name   string
		signer *credential.Signer
		typ    string
		code   credential.Code
	}{
		{"listed DID", listed["key-1"], "VerifiedEmployee", ""},
		{"listed DID, other type", listed["key-1"], "Badge", credential.CodeUntrustedIssuer},
		{"no rule for the type", listed["key-1"], "Diploma", credential.CodeUntrustedIssuer},
		{"unlisted DID", unlisted["key-1"], "VerifiedEmployee", credential.CodeUntrustedIssuer},
		{"linked domain", linkedIssuer["key-1"], "Badge", ""},
		{"claimed domain without linkage", claimsOnly["key-1"], "Badge", credential.CodeDomainNotLinked},
		{"linkage for another origin", wrongOrigin["key-1"], "Badge", credential.CodeDomainNotLinked},
		{"expired linkage", expiredLink["key-1"], "Badge", credential.CodeDomainNotLinked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jwt, err := (&credential.Issuer{Signer: tt.signer, Now: e.Now}).Issue(credential.Claims{
				Types: []string{tt.typ}, Subject: map[string]any{"id": holder},
			})
			if err != nil {
				t.Fatal(err)
			}
			r := v.VerifyCredential(ctx, jwt)
			if r.Valid != (tt.code == "") || r.Code != tt.code {
				t.Fatalf("valid=%v code=%q (%s), want %q; checks %+v", r.Valid, r.Code, r.Detail, tt.code, r.Checks)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, doc := range []string{
		`{"trustedIssuers": [{"credentialTypes": [], "dids": ["did:web:a.example"]}]}`,
		`{"trustedIssuers": [{"credentialTypes": ["X"]}]}`,
		`{"trustedIssuers": [{"credentialTypes": ["X"], "dids": ["not-a-did"]}]}`,
		`{"trustedIssuers": [{"credentialTypes": ["X"], "linkedDomains": ["http://a.example"]}]}`,
		`{"trustedIssuers": [{"credentialTypes": ["X"], "linkedDomains": ["https://a.example/path"]}]}`,
		`{"trustedIssuer": []}`,
	} {
		if _, err := policy.Parse([]byte(doc)); err == nil {
			t.Errorf("Parse(%s) succeeded", doc)
		}
	}
}
