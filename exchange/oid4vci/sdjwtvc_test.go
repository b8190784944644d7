package oid4vci_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/credential/status/tokenstatus"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/oid4vcitest"
)

// Configuration id and token status list of the dc+sd-jwt tests.
const (
	identity   = "Identity"
	tokenList  = "tokens"
	identityVC = "urn:eudi:pid:1"
)

// sdEnv is the test issuer with a dc+sd-jwt configuration signed by an ES256 did:key (the key type the
// @sd-jwt cross-check reads) and a token status list.
type sdEnv struct {
	*env
	SD *credential.Signer
}

func newSDEnv(t *testing.T, settable bool) *sdEnv {
	t.Helper()
	sd := credtest.KeyDID(t, credential.ES256)
	e := oid4vcitest.NewEnvWith(t, settable, func(e *env) {
		e.Status.Tokens = &tokenstatus.Signer{Signer: sd}
		if err := e.Status.Create(context.Background(), tokenList, status.TokenStatusList, "revocation", 0); err != nil {
			t.Fatal(err)
		}
		e.Issuer.Formats = map[string]oid4vci.Format{
			oid4vci.FormatSDJWTVC: oid4vci.SDJWTVC{Issuer: &sdjwt.Issuer{Signer: sd, Now: e.Issuer.Now}, StatusList: tokenList},
		}
		e.Issuer.Config.Configurations[identity] = &oid4vci.Configuration{
			Format: oid4vci.FormatSDJWTVC, VCT: identityVC, Status: true, Validity: oid4vci.Duration(24 * time.Hour),
			Disclosable: []string{"given_name", "family_name", "birthdate", "address", "address.locality", "nationalities.*"},
			Display:     []oid4vci.Display{{Name: "Identity", Locale: "en-US"}},
			Claims:      []oid4vci.ClaimDisplay{{Path: []string{"given_name"}, Display: []oid4vci.ClaimLabel{{Name: "Given name", Locale: "en-US"}}}},
		}
	})
	return &sdEnv{env: e, SD: sd}
}

func (e *sdEnv) verifier(now func() time.Time) *sdjwt.Verifier {
	v := &sdjwt.Verifier{Resolver: e.Resolver, Fetcher: e.Client, Now: now}
	v.Status = &tokenstatus.Checker{Fetcher: e.Client, Keys: v, DefaultTTL: time.Nanosecond, Now: now}
	return v
}

var identityClaims = map[string]any{
	"given_name": "Erika", "family_name": "Mustermann", "birthdate": "1964-08-12",
	"address":       map[string]any{"locality": "Berlin", "country": "DE"},
	"nationalities": []any{"DE", "FR"},
}

func TestSDJWTVCIssuance(t *testing.T) {
	e := newSDEnv(t, true)
	ctx := context.Background()
	didHolder := credtest.KeyDID(t, credential.EdDSA)
	p256, _ := credential.GenerateKey(credential.ES256)
	jwkBound, _ := credential.NewBareSigner("", p256)
	holders := []struct {
		name    string
		sign    func(nonce string) string
		kb      *credential.Signer
		wantKID string // cnf.kid, or "" for cnf.jwk
	}{
		{"did:key kid", func(n string) string {
			return proof(t, didHolder, map[string]any{"aud": e.Issuer.URL, "iat": e.Now().Unix(), "nonce": n})
		}, didHolder, didHolder.KID},
		{"bare jwk", func(n string) string {
			return proofJWK(t, jose.ES256, p256, map[string]any{"aud": e.Issuer.URL, "iat": e.Now().Unix(), "nonce": n})
		}, jwkBound, ""},
	}
	for _, h := range holders {
		t.Run(h.name, func(t *testing.T) {
			o := e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{identity}, Claims: identityClaims})
			sd, err := e.Exchange(t, preAuthCode(t, o), "", identity, h.sign)
			if err != nil {
				t.Fatal(err)
			}
			v := e.verifier(e.Now)
			r := v.Verify(ctx, sd, sdjwt.Options{})
			if !r.Valid {
				t.Fatalf("%s %s", r.Code, r.Detail)
			}
			if r.Issuer != e.SD.DID() || r.VCT != identityVC || r.Status == nil || r.Status.URI != e.Status.URL(tokenList) {
				t.Fatalf("issuer %s vct %s status %+v", r.Issuer, r.VCT, r.Status)
			}
			if r.ValidUntil == nil || !r.ValidUntil.Equal(e.Now().Truncate(time.Second).Add(24*time.Hour)) {
				t.Fatalf("validUntil %v", r.ValidUntil)
			}
			// Every configured disclosable claim is a Disclosure (nationalities: two elements), and
			// decoys are on: the payload holds more digests than Disclosures.
			var paths []string
			for _, p := range r.Disclosed {
				paths = append(paths, p.String())
			}
			slices.Sort(paths)
			want := []string{"address", "address.locality", "birthdate", "family_name", "given_name", "nationalities[0]", "nationalities[1]"}
			if !slices.Equal(paths, want) {
				t.Fatalf("disclosed %v, want %v", paths, want)
			}
			if n := digests(t, sd); n <= len(want) {
				t.Fatalf("%d digests for %d disclosures: no decoys", n, len(want))
			}
			cnf := payload(t, sd)["cnf"].(map[string]any)
			if h.wantKID != "" && cnf["kid"] != h.wantKID || h.wantKID == "" && cnf["jwk"] == nil {
				t.Fatalf("cnf %v", cnf)
			}
			// The holder presents only given_name, bound to a verifier's nonce.
			pres, err := sdjwt.Present(sd, []string{"given_name"}, &sdjwt.KeyBinding{Signer: h.kb, Audience: "x509_san_dns:rp.example", Nonce: "n-1", Now: e.Now()})
			if err != nil {
				t.Fatal(err)
			}
			r = v.Verify(ctx, pres, sdjwt.Options{RequireKeyBinding: true, Audience: "x509_san_dns:rp.example", Nonce: "n-1"})
			if !r.Valid || len(r.Disclosed) != 1 || r.Claims["given_name"] != "Erika" || r.Claims["birthdate"] != nil {
				t.Fatalf("presentation: %v %s %s %v", r.Valid, r.Code, r.Detail, r.Claims)
			}
			// Revoking its token status list entry is seen by a verifier (one without the cached list).
			if err := e.Status.SetStatus(ctx, tokenList, r.Status.Index, true); err != nil {
				t.Fatal(err)
			}
			if r = e.verifier(e.Now).Verify(ctx, sd, sdjwt.Options{}); r.Code != credential.CodeRevoked {
				t.Fatalf("after revocation: %v %s", r.Valid, r.Code)
			}
		})
	}
}

func TestSDJWTVCMetadata(t *testing.T) {
	e := newSDEnv(t, true)
	md := e.Issuer.Metadata()
	cfg := md["credential_configurations_supported"].(map[string]any)[identity].(map[string]any)
	if cfg["format"] != "dc+sd-jwt" || cfg["vct"] != identityVC {
		t.Fatalf("configuration %v", cfg)
	}
	if algs := cfg["credential_signing_alg_values_supported"].([]string); !slices.Equal(algs, []string{credential.ES256}) {
		t.Fatalf("algs %v", algs)
	}
	methods := cfg["cryptographic_binding_methods_supported"].([]string)
	if !slices.Contains(methods, "jwk") || !slices.Contains(methods, "did:key") {
		t.Fatalf("binding methods %v", methods)
	}
	if _, ok := cfg["proof_types_supported"].(map[string]any)["jwt"]; !ok {
		t.Fatalf("proof types %v", cfg["proof_types_supported"])
	}
	if _, ok := cfg["credential_definition"]; ok {
		t.Fatal("a dc+sd-jwt configuration has a credential_definition")
	}
}

func TestSDJWTVCConfigurationRefused(t *testing.T) {
	sd := credtest.KeyDID(t, credential.ES256)
	f := oid4vci.SDJWTVC{Issuer: &sdjwt.Issuer{Signer: sd}}
	for name, c := range map[string]*oid4vci.Configuration{
		"no vct":              {Format: oid4vci.FormatSDJWTVC},
		"types":               {Format: oid4vci.FormatSDJWTVC, VCT: identityVC, Types: []string{"X"}},
		"status without list": {Format: oid4vci.FormatSDJWTVC, VCT: identityVC, Status: true},
		"empty path":          {Format: oid4vci.FormatSDJWTVC, VCT: identityVC, Disclosable: []string{" "}},
	} {
		if err := f.Validate(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := f.Validate(&oid4vci.Configuration{Format: oid4vci.FormatSDJWTVC, VCT: identityVC}); err != nil {
		t.Fatal(err)
	}
}

// TestSDJWTVCNoDecoys: a configuration may turn decoys off; then there are exactly as many digests as
// Disclosures. A disclosable claim the offer lacks is left out.
func TestSDJWTVCNoDecoys(t *testing.T) {
	e := newSDEnv(t, true)
	e.Issuer.Config.Configurations[identity].NoDecoys = true
	holder := credtest.KeyDID(t, credential.EdDSA)
	o := e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{identity}, Claims: map[string]any{"given_name": "Erika", "family_name": "M"}})
	sd, err := e.Exchange(t, preAuthCode(t, o), "", identity, func(n string) string {
		return proof(t, holder, map[string]any{"aud": e.Issuer.URL, "iat": e.Now().Unix(), "nonce": n})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := digests(t, sd); n != 2 {
		t.Fatalf("%d digests, want 2", n)
	}
}

func payload(t *testing.T, sd string) map[string]any {
	t.Helper()
	s, err := sdjwt.Parse(sd)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := credential.ParseJWS(s.JWT, nil)
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(jws.Payload(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// digests counts the digests in an SD-JWT's payload and Disclosures (_sd entries and array "..." ones).
func digests(t *testing.T, sd string) int {
	t.Helper()
	s, err := sdjwt.Parse(sd)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if sds, ok := x["_sd"].([]any); ok {
				n += len(sds)
			}
			if _, ok := x["..."]; ok {
				n++
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(payload(t, sd))
	for _, d := range s.Disclosures {
		b, err := base64.RawURLEncoding.DecodeString(d)
		if err != nil {
			t.Fatal(err)
		}
		var arr []any
		if err := json.Unmarshal(b, &arr); err != nil || len(arr) < 2 {
			t.Fatalf("disclosure %s: %v", b, err)
		}
		walk(arr[len(arr)-1])
	}
	return n
}

// TestSDJWTVCOfferRefusesReservedClaims: an offer whose claims the SD-JWT VC reserves is refused when it
// is made, not when the wallet redeems it; a jwt_vc_json offer may carry them.
func TestSDJWTVCOfferRefusesReservedClaims(t *testing.T) {
	e := newSDEnv(t, true)
	for _, name := range []string{"vct", "cnf", "status", "iss", "_sd"} {
		claims := map[string]any{"given_name": "Erika", name: "x"}
		if _, err := e.Issuer.CreateOffer(context.Background(), oid4vci.OfferRequest{ConfigurationIDs: []string{identity}, Claims: claims}); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("claim %s: %v", name, err)
		}
		if _, err := e.Issuer.CreateOffer(context.Background(), oid4vci.OfferRequest{ConfigurationIDs: []string{employee}, Claims: claims}); err != nil {
			t.Errorf("jwt_vc_json with claim %s: %v", name, err)
		}
	}
}
