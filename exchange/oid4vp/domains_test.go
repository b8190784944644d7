package oid4vp_test

import (
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/linkeddomains"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/internal/credtest"
)

func TestLinkedDomains(t *testing.T) {
	h := newHarness(t)
	h.verifier.Links = &linkeddomains.Verifier{Client: h.env.Client, Credentials: &credential.Verifier{Resolver: h.env.Resolver, Now: h.env.Now}}
	origin := h.env.Server.Origin()
	service := []map[string]any{{"id": "#linkeddomains", "type": linkeddomains.ServiceType, "serviceEndpoint": map[string]any{"origins": []string{origin}}}}
	key := []credtest.Method{{Fragment: "key-1", Alg: credential.ES256K}}
	_, linked := h.env.WebDIDWithServices(t, key, service, "linked")
	_, claimsOnly := h.env.WebDIDWithServices(t, key, service, "claims-only")
	_, expired := h.env.WebDIDWithServices(t, key, service, "expired")
	good, err := linkeddomains.Create(linked["key-1"], origin, h.env.Now(), 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	stale, _ := linkeddomains.Create(expired["key-1"], origin, h.env.Now().Add(-48*time.Hour), 24*time.Hour)
	h.env.Server.Mux.Handle(linkeddomains.WellKnownPath, linkeddomains.Handler(good, stale))

	issuers := map[string]*credential.Issuer{
		"linked":      {Signer: linked["key-1"], Now: h.env.Now},
		"claims-only": {Signer: claimsOnly["key-1"], Now: h.env.Now},
		"expired":     {Signer: expired["key-1"], Now: h.env.Now},
		"no service":  h.issuer,
	}
	tests := []struct {
		issuer   string
		validate bool
		code     string
		domain   string // domainValidation.url when verified
	}{
		{"linked", true, "", origin + "/"},
		{"linked", false, "", origin + "/"},
		{"claims-only", true, oid4vp.CodeDomainNotLinked, ""},
		{"claims-only", false, "", ""},
		{"expired", true, oid4vp.CodeDomainNotLinked, ""},
		{"no service", true, oid4vp.CodeDomainNotLinked, ""},
		{"no service", false, "", ""},
	}
	for _, tt := range tests {
		name := tt.issuer
		if tt.validate {
			name += ", validateLinkedDomain"
		}
		t.Run(name, func(t *testing.T) {
			rc := exchange.RequestedCredential{Type: "VerifiedEmployee"}
			rc.Configuration.Validation.ValidateLinkedDomain = tt.validate
			cr := h.create(t, rc)
			w, code, _ := h.fetch(t, cr)
			if code != 200 {
				t.Fatalf("fetch: %d", code)
			}
			vc := h.issue(t, issuers[tt.issuer], h.holder.Signer.DID(), nil)
			code, got := h.post(t, w, h.present(t, w, h.holder, []string{vc}, w.nonce))
			ev := h.outcome(t, cr, code, got, tt.code)
			if tt.code != "" {
				return
			}
			dv := ev.VerifiedCredentialsData[0].DomainValidation
			if (dv == nil) != (tt.domain == "") || (dv != nil && dv.URL != tt.domain) {
				t.Fatalf("domainValidation %+v, want %q", dv, tt.domain)
			}
		})
	}
}
