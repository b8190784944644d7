package sdjwt_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/policy"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/web"
)

var b64 = base64.RawURLEncoding

func disclosure(t *testing.T, parts ...any) string {
	t.Helper()
	b, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	return b64.EncodeToString(b)
}

func digestOf(s string) string {
	return sdjwt.DigestString(s)
}

// signed makes an SD-JWT from a hand-written payload, for the cases Issue refuses to produce.
func signed(t *testing.T, signer *credential.Signer, payload map[string]any, disclosures ...string) string {
	t.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := signer.Sign(b, sdjwt.TypVC)
	if err != nil {
		t.Fatal(err)
	}
	return jwt + "~" + strings.Join(append(disclosures, ""), "~")
}

// TestRefusals: each negative case of issue #22, refused with its stable code.
func TestRefusals(t *testing.T) {
	e := credtest.NewEnv(t)
	signer := e.WebIssuer(t, credential.ES256, "refusals")
	holder := holderKey(t)
	ctx := context.Background()
	issue := func(c sdjwt.Claims) string {
		t.Helper()
		if c.VCT == "" {
			c.VCT = vct
		}
		if c.Claims == nil {
			c.Claims, c.Disclosable = identity(), identityDisclosable
		}
		if c.HolderKey == nil {
			c.HolderKey = holder.Public()
		}
		s, err := (&sdjwt.Issuer{Signer: signer, Now: e.Now}).Issue(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	issued := issue(sdjwt.Claims{ValidUntil: e.Now().Add(time.Hour)})
	present := func(disclose []string, aud, n string, at time.Time) string {
		t.Helper()
		p, err := sdjwt.Present(issued, disclose, &sdjwt.KeyBinding{Signer: holder, Audience: aud, Nonce: n, Now: at})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := present([]string{"given_name", "age_over_18"}, audience, nonce, e.Now())
	parts := strings.Split(good, "~")

	base := map[string]any{"iss": signer.DID(), "vct": vct, "iat": e.Now().Unix(), "_sd_alg": "sha-256"}
	with := func(extra map[string]any) map[string]any {
		m := maps.Clone(base)
		maps.Copy(m, extra)
		return m
	}
	name := disclosure(t, "c2FsdHNhbHRzYWx0", "given_name", "Erika")
	other := disclosure(t, "b3RoZXJzYWx0c2FsdA", "family_name", "Mustermann")
	elem := disclosure(t, "ZWxlbXNhbHRzYWx0", "DE")
	otherKey := holderKey(t)
	badKB, _ := sdjwt.Present(issued, []string{"given_name"}, &sdjwt.KeyBinding{Signer: otherKey, Audience: audience, Nonce: nonce, Now: e.Now()})
	trustOther, err := policy.Parse([]byte(`{"trustedIssuers":[{"credentialTypes":["*"],"dids":["did:web:example.com"]}]}`))
	if err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name   string
		sdjwt  string
		opts   sdjwt.Options
		policy credential.Policy
		want   credential.Code
	}{
		{"valid presentation", good, kbOpts(), nil, ""},
		{"disclosure whose digest is missing", signed(t, signer, with(map[string]any{"_sd": []string{digestOf(name)}}), name, other), sdjwt.Options{}, nil, sdjwt.CodeDisclosureNotReferenced},
		{"digest twice in _sd", signed(t, signer, with(map[string]any{"_sd": []string{digestOf(name), digestOf(name)}}), name), sdjwt.Options{}, nil, sdjwt.CodeDuplicateDigest},
		{"digest in _sd and in an array", signed(t, signer, with(map[string]any{"_sd": []string{digestOf(elem)}, "n": []any{map[string]any{"...": digestOf(elem)}}}), elem), sdjwt.Options{}, nil, sdjwt.CodeDuplicateDigest},
		{"disclosure sent twice", signed(t, signer, with(map[string]any{"_sd": []string{digestOf(name)}}), name, name), sdjwt.Options{}, nil, sdjwt.CodeDuplicateDigest},
		{"tampered disclosure", strings.Join(append([]string{parts[0], disclosure(t, "c2FsdA", "given_name", "Mallory")}, parts[2:]...), "~"), kbOpts(), nil, sdjwt.CodeDisclosureNotReferenced},
		{"malformed disclosure", signed(t, signer, with(nil), b64.EncodeToString([]byte(`["salt"]`))), sdjwt.Options{}, nil, sdjwt.CodeInvalidDisclosure},
		{"array disclosure in _sd", signed(t, signer, with(map[string]any{"_sd": []string{digestOf(elem)}}), elem), sdjwt.Options{}, nil, sdjwt.CodeInvalidDisclosure},
		{"disclosure overwrites a claim", signed(t, signer, with(map[string]any{"given_name": "X", "_sd": []string{digestOf(name)}}), name), sdjwt.Options{}, nil, sdjwt.CodeInvalidDisclosure},
		{"_sd_alg none", signed(t, signer, with(map[string]any{"_sd_alg": "none", "_sd": []string{digestOf(name)}}), name), sdjwt.Options{}, nil, sdjwt.CodeUnsupportedSDAlg},
		{"_sd_alg sha-1", signed(t, signer, with(map[string]any{"_sd_alg": "sha-1"})), sdjwt.Options{}, nil, sdjwt.CodeUnsupportedSDAlg},
		{"KB-JWT wrong nonce", good, sdjwt.Options{RequireKeyBinding: true, Audience: audience, Nonce: "other"}, nil, credential.CodeNonceMismatch},
		{"KB-JWT wrong audience", good, sdjwt.Options{RequireKeyBinding: true, Audience: "https://other.example", Nonce: nonce}, nil, credential.CodeAudienceMismatch},
		{"KB-JWT wrong sd_hash (a disclosure dropped)", strings.Join(append([]string{parts[0]}, parts[2:]...), "~"), kbOpts(), nil, sdjwt.CodeSDHashMismatch},
		{"KB-JWT by another key", badKB, kbOpts(), nil, sdjwt.CodeInvalidKeyBinding},
		{"KB-JWT too old", present([]string{"given_name"}, audience, nonce, e.Now().Add(-time.Hour)), kbOpts(), nil, sdjwt.CodeInvalidKeyBinding},
		{"KB-JWT from the future", present([]string{"given_name"}, audience, nonce, e.Now().Add(time.Hour)), kbOpts(), nil, sdjwt.CodeInvalidKeyBinding},
		{"missing KB-JWT where binding is required", strings.Join(parts[:len(parts)-1], "~") + "~", kbOpts(), nil, sdjwt.CodeKeyBindingRequired},
		{"KB-JWT for a credential without cnf", func() string {
			s := signed(t, signer, with(nil))
			p, err := sdjwt.Present(s, nil, &sdjwt.KeyBinding{Signer: holder, Audience: audience, Nonce: nonce, Now: e.Now()})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}(), kbOpts(), nil, sdjwt.CodeKeyBindingRequired},
		{"expired", issue(sdjwt.Claims{ValidFrom: e.Now().Add(-2 * time.Hour), ValidUntil: e.Now().Add(-time.Hour)}), sdjwt.Options{}, nil, credential.CodeExpired},
		{"issuer outside the policy", issued, sdjwt.Options{}, trustOther, credential.CodeUntrustedIssuer},
		{"vct not accepted", issued, sdjwt.Options{VCT: []string{"urn:other"}}, nil, sdjwt.CodeInvalidType},
		{"no vct", signed(t, signer, map[string]any{"iss": signer.DID()}), sdjwt.Options{}, nil, sdjwt.CodeInvalidType},
		{"issuer signature tampered", strings.Replace(good, parts[0], parts[0][:len(parts[0])-4]+"AAAA", 1), kbOpts(), nil, credential.CodeInvalidSignature},
		{"not an SD-JWT", parts[0], sdjwt.Options{}, nil, credential.CodeInvalidJWT},
		{"status without a checker", issue(sdjwt.Claims{Status: &sdjwt.StatusListRef{Index: 3, URI: "https://localhost/status/1"}}), sdjwt.Options{}, nil, credential.CodeStatusUnavailable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := verifier(e)
			v.Policy = tt.policy
			r := v.Verify(ctx, tt.sdjwt, tt.opts)
			if tt.want == "" {
				if !r.Valid {
					t.Fatalf("refused: %s %s", r.Code, r.Detail)
				}
				return
			}
			if r.Valid || r.Code != tt.want {
				t.Fatalf("got valid=%v %s (%s), want %s", r.Valid, r.Code, r.Detail, tt.want)
			}
			if err := r.Err(); credential.CodeOf(err) != tt.want {
				t.Fatalf("Err() %v", err)
			}
		})
	}
}

// TestURLIssuer: an issuer identified by an https URL, its key in JWT VC issuer metadata, fetched
// through the SSRF-guarded client and cached; and type metadata published at an https vct.
func TestURLIssuer(t *testing.T) {
	e := credtest.NewEnv(t)
	priv, err := credential.GenerateKey(credential.ES256)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := credential.NewBareSigner("k1", priv)
	if err != nil {
		t.Fatal(err)
	}
	jwk, _ := resolver.MarshalJWK(signer.Public())
	var key map[string]any
	_ = json.Unmarshal(jwk, &key)
	key["kid"] = "k1"
	iss := e.Server.Origin() + "/tenant/a"
	md, _ := json.Marshal(map[string]any{"issuer": iss, "jwks": map[string]any{"keys": []any{key}}})
	e.Server.Publish("/.well-known/jwt-vc-issuer/tenant/a", md, "max-age=600")
	typeURL := e.Server.Origin() + "/types/pid"
	typeDoc := []byte(`{"vct":"` + typeURL + `","name":"PID"}`)
	e.Server.Publish("/types/pid", typeDoc, "")
	e.Server.Publish("/types/other", []byte(`{"vct":"https://elsewhere.example/t"}`), "")

	ctx := context.Background()
	for _, tt := range []struct {
		name, vct string
		extra     map[string]any
		want      credential.Code
	}{
		{"no metadata published", e.Server.Origin() + "/types/none", nil, ""},
		{"metadata of the type", typeURL, nil, ""},
		{"metadata of another type", e.Server.Origin() + "/types/other", nil, sdjwt.CodeInvalidType},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := (&sdjwt.Issuer{Signer: signer, ID: iss, Now: e.Now}).Issue(ctx, sdjwt.Claims{VCT: tt.vct, Claims: identity(), Disclosable: []string{"given_name"}})
			if err != nil {
				t.Fatal(err)
			}
			r := verifier(e).Verify(ctx, s, sdjwt.Options{})
			if r.Code != tt.want || r.Valid != (tt.want == "") {
				t.Fatalf("%v %s %s", r.Valid, r.Code, r.Detail)
			}
		})
	}
	// Issuer and type metadata are fetched once, then served from the cache for their max-age.
	counting := &countingFetcher{Fetcher: e.Client}
	cv := verifier(e)
	cv.Fetcher = counting
	s0, err := (&sdjwt.Issuer{Signer: signer, ID: iss, Now: e.Now}).Issue(ctx, sdjwt.Claims{VCT: typeURL, Claims: identity()})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if r := cv.Verify(ctx, s0, sdjwt.Options{}); !r.Valid {
			t.Fatalf("%s %s", r.Code, r.Detail)
		}
	}
	if counting.n != 2 {
		t.Fatalf("%d fetches for three verifications, want 2 (issuer and type metadata)", counting.n)
	}
	e.Advance(11 * time.Minute) // past both max-ages (10 minutes; 5 by default)
	_ = cv.Verify(ctx, s0, sdjwt.Options{})
	if counting.n != 4 {
		t.Fatalf("%d fetches after the max-age", counting.n)
	}
	// Another key with the same kid is not the issuer's.
	imposter, _ := credential.GenerateKey(credential.ES256)
	is, _ := credential.NewBareSigner("k1", imposter)
	s, _ := (&sdjwt.Issuer{Signer: is, ID: iss, Now: e.Now}).Issue(ctx, sdjwt.Claims{VCT: typeURL, Claims: identity()})
	if r := verifier(e).Verify(ctx, s, sdjwt.Options{}); r.Code != credential.CodeInvalidSignature {
		t.Fatalf("imposter: %s %s", r.Code, r.Detail)
	}
	// Metadata that names another issuer.
	e.Server.Publish("/.well-known/jwt-vc-issuer/tenant/b", md, "")
	s, _ = (&sdjwt.Issuer{Signer: signer, ID: e.Server.Origin() + "/tenant/b", Now: e.Now}).Issue(ctx, sdjwt.Claims{VCT: typeURL, Claims: identity()})
	if r := verifier(e).Verify(ctx, s, sdjwt.Options{}); r.Code != credential.CodeUnresolvableIssuer {
		t.Fatalf("other issuer's metadata: %s %s", r.Code, r.Detail)
	}
}

type countingFetcher struct {
	sdjwt.Fetcher
	n int
}

func (c *countingFetcher) Get(ctx context.Context, url, accept string) (*web.Response, error) {
	c.n++
	return c.Fetcher.Get(ctx, url, accept)
}
