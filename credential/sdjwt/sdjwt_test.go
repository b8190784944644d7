package sdjwt_test

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/internal/credtest"
)

const (
	vct      = "urn:example:identity_credential:1"
	audience = "https://verifier.example.org"
	nonce    = "n-0S6_WzA2Mj"
)

func identity() map[string]any {
	return map[string]any{
		"given_name":    "Erika",
		"family_name":   "Mustermann",
		"birthdate":     "1963-08-12",
		"age_over_18":   true,
		"nationalities": []string{"DE", "FR"},
		"address": map[string]any{
			"street_address": "Heidestraße 17", "locality": "Köln", "postal_code": "51147", "country": "DE",
		},
	}
}

var identityDisclosable = []string{"given_name", "family_name", "birthdate", "age_over_18", "nationalities.*", "address", "address.street_address", "address.locality", "address.postal_code"}

func holderKey(t testing.TB) *credential.Signer {
	t.Helper()
	priv, err := credential.GenerateKey(credential.ES256)
	if err != nil {
		t.Fatal(err)
	}
	s, err := credential.NewBareSigner("", priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func verifier(e *credtest.Env) *sdjwt.Verifier {
	return &sdjwt.Verifier{Resolver: e.Resolver, Fetcher: e.Client, Now: e.Now}
}

func kbOpts() sdjwt.Options {
	return sdjwt.Options{RequireKeyBinding: true, Audience: audience, Nonce: nonce}
}

func paths(r *sdjwt.Result) []string {
	var out []string
	for _, p := range r.Disclosed {
		out = append(out, p.String())
	}
	slices.Sort(out)
	return out
}

// TestIssuePresentVerify issues with every issuer DID method, binds to a JWK or a DID, presents
// subsets of the claims, and checks that the verifier sees exactly the disclosed claims.
func TestIssuePresentVerify(t *testing.T) {
	e := credtest.NewEnv(t)
	issuers := map[string]*credential.Signer{
		"did:web ES256":   e.WebIssuer(t, credential.ES256, "sd-issuer"),
		"did:key EdDSA":   credtest.KeyDID(t, credential.EdDSA),
		"did:ion ES256K":  e.IONDID(t, credential.ES256K),
		"did:web ES256K":  e.WebIssuer(t, credential.ES256K, "sd-issuer-k"),
		"did:key ES256":   credtest.KeyDID(t, credential.ES256),
		"did:ion EdDSA":   e.IONDID(t, credential.EdDSA),
		"did:web EdDSA":   e.WebIssuer(t, credential.EdDSA, "sd-issuer-e"),
		"did:key ES256K":  credtest.KeyDID(t, credential.ES256K),
		"did:ion (again)": e.IONDID(t, credential.ES256K),
	}
	didHolder := credtest.KeyDID(t, credential.EdDSA)
	jwkHolder := holderKey(t)
	for name, signer := range issuers {
		for _, bind := range []string{"jwk", "did"} {
			t.Run(name+" cnf."+bind, func(t *testing.T) {
				c := sdjwt.Claims{VCT: vct, Claims: identity(), Disclosable: identityDisclosable, ValidUntil: e.Now().Add(time.Hour)}
				holder := jwkHolder
				if bind == "jwk" {
					c.HolderKey = jwkHolder.Public()
				} else {
					c.HolderKID, holder = didHolder.KID, didHolder
				}
				issued, err := (&sdjwt.Issuer{Signer: signer, Now: e.Now}).Issue(context.Background(), c)
				if err != nil {
					t.Fatal(err)
				}
				v := verifier(e)
				r := v.Verify(context.Background(), issued, sdjwt.Options{})
				if !r.Valid {
					t.Fatalf("issued: %s %s", r.Code, r.Detail)
				}
				if !reflect.DeepEqual(paths(r), []string{"address", "address.locality", "address.postal_code", "address.street_address", "age_over_18", "birthdate", "family_name", "given_name", "nationalities[0]", "nationalities[1]"}) {
					t.Fatalf("issued disclosures %v", paths(r))
				}
				// Only the street, the age and one nationality: the address comes with the street, not
				// the locality or the postal code.
				pres, err := sdjwt.Present(issued, []string{"address.street_address", "age_over_18", "nationalities.1"}, &sdjwt.KeyBinding{Signer: holder, Audience: audience, Nonce: nonce, Now: e.Now()})
				if err != nil {
					t.Fatal(err)
				}
				r = v.Verify(context.Background(), pres, kbOpts())
				if !r.Valid {
					t.Fatalf("presented: %s %s", r.Code, r.Detail)
				}
				if got := paths(r); !reflect.DeepEqual(got, []string{"address", "address.street_address", "age_over_18", "nationalities[0]"}) {
					t.Errorf("disclosed %v", got)
				}
				for _, hidden := range []string{"given_name", "family_name", "birthdate"} {
					if _, ok := r.Claims[hidden]; ok {
						t.Errorf("%s visible", hidden)
					}
				}
				if addr := r.Claims["address"].(map[string]any); len(addr) != 2 || addr["street_address"] != "Heidestraße 17" || addr["country"] != "DE" {
					t.Errorf("address %v", addr)
				}
				if n := r.Claims["nationalities"].([]any); len(n) != 1 || n[0] != "FR" {
					t.Errorf("nationalities %v", n)
				}
				if r.Issuer != signer.DID() || r.VCT != vct || r.KeyBinding == nil || r.KeyBinding.Nonce != nonce {
					t.Errorf("result %+v", r)
				}
				if bind == "did" && r.KeyBinding.Holder != didHolder.KID {
					t.Errorf("holder %q", r.KeyBinding.Holder)
				}
			})
		}
	}
}

func TestDecoys(t *testing.T) {
	e := credtest.NewEnv(t)
	signer := credtest.KeyDID(t, credential.ES256)
	count := func(noDecoys bool) (int, int) {
		issued, err := (&sdjwt.Issuer{Signer: signer, NoDecoys: noDecoys, Now: e.Now}).Issue(context.Background(), sdjwt.Claims{VCT: vct, Claims: identity(), Disclosable: []string{"given_name", "nationalities.0"}})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := credential.ParseJWS(strings.Split(issued, "~")[0], nil)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			SD            []string         `json:"_sd"`
			Nationalities []map[string]any `json:"nationalities"`
			SDAlg         string           `json:"_sd_alg"`
		}
		_ = json.Unmarshal(tok.Payload(), &p)
		if p.SDAlg != "sha-256" || len(p.Nationalities) < 2 {
			t.Fatalf("payload %s", tok.Payload())
		}
		if r := verifier(e).Verify(context.Background(), issued, sdjwt.Options{}); !r.Valid {
			t.Fatalf("%s %s", r.Code, r.Detail)
		}
		return len(p.SD), len(p.Nationalities)
	}
	// given_name's digest in _sd, the two nationalities; decoys add one to three to each.
	if obj, arr := count(true); obj != 1 || arr != 2 {
		t.Errorf("without decoys: %d digests in _sd, %d nationalities", obj, arr)
	}
	if obj, arr := count(false); obj < 2 || obj > 4 || arr < 3 || arr > 5 {
		t.Errorf("with decoys: %d digests in _sd, %d nationalities", obj, arr)
	}
}

func TestIssueRefuses(t *testing.T) {
	signer := credtest.KeyDID(t, credential.ES256)
	for name, c := range map[string]sdjwt.Claims{
		"no vct":                {Claims: identity()},
		"reserved claim":        {VCT: vct, Claims: map[string]any{"iss": "x"}},
		"disclosable reserved":  {VCT: vct, Claims: identity(), Disclosable: []string{"cnf"}},
		"path matches no claim": {VCT: vct, Claims: identity(), Disclosable: []string{"given_nmae"}},
		"bad holder kid":        {VCT: vct, Claims: identity(), HolderKID: "https://x"},
	} {
		if _, err := (&sdjwt.Issuer{Signer: signer}).Issue(context.Background(), c); err == nil {
			t.Errorf("%s: issued", name)
		}
	}
}

// TestAuditLogKeepsNoClaims: the audit record names the transaction, issuer, type and outcome, and
// no claim value, disclosed or not.
func TestAuditLogKeepsNoClaims(t *testing.T) {
	e := credtest.NewEnv(t)
	signer := credtest.KeyDID(t, credential.EdDSA)
	holder := holderKey(t)
	issued, err := (&sdjwt.Issuer{Signer: signer, Now: e.Now}).Issue(context.Background(), sdjwt.Claims{VCT: vct, Claims: identity(), Disclosable: identityDisclosable, HolderKey: holder.Public(), Subject: "user-4711"})
	if err != nil {
		t.Fatal(err)
	}
	pres, err := sdjwt.Present(issued, []string{"given_name", "address"}, &sdjwt.KeyBinding{Signer: holder, Audience: audience, Nonce: nonce, Now: e.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	v := verifier(e)
	v.Logger = credtest.AuditLogger(&buf)
	ok := v.Verify(context.Background(), pres, sdjwt.Options{RequireKeyBinding: true, Audience: audience, Nonce: nonce, TransactionID: "tx-1"})
	bad := v.Verify(context.Background(), pres, sdjwt.Options{RequireKeyBinding: true, Audience: audience, Nonce: "other", TransactionID: "tx-2"})
	if !ok.Valid || bad.Valid {
		t.Fatalf("%v %v", ok.Code, bad.Code)
	}
	log := buf.String()
	for _, want := range []string{`"transactionId":"tx-1"`, `"transactionId":"tx-2"`, `"issuer":"` + signer.DID(), `"vct":"` + vct, `"valid":true`, `"code":"nonce_mismatch"`} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %s:\n%s", want, log)
		}
	}
	// The issuer's random DID may hold any of these by chance; it is checked above.
	log = strings.ReplaceAll(log, signer.DID(), "ISSUER")
	for _, secret := range []string{"Erika", "Mustermann", "1963", "Heidestra", "Köln", "51147", "user-4711", "given_name", nonce} {
		if strings.Contains(log, secret) {
			t.Errorf("audit log holds %q:\n%s", secret, log)
		}
	}
}
