package oid4vci_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/credtest"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/exchange/oid4vci"
)

// env is an issuer on the test HTTPS server (its origin is the credential issuer identifier), with a
// status list, a did:key issuer and resolvers for holders.
type env struct {
	*credtest.Env
	issuer   *oid4vci.Issuer
	status   *status.Manager
	signer   *credential.Signer
	sessions *memSessions
	http     *http.Client
}

const (
	employee = "VerifiedEmployee"
	badge    = "Badge"
	list     = "revocation"
)

func testConfig() *oid4vci.Config {
	return &oid4vci.Config{
		Display: []oid4vci.Display{{Name: "Contoso", Locale: "en-US", Logo: &oid4vci.Image{URI: "https://contoso.example/logo.png", AltText: "Contoso logo"}}},
		Configurations: map[string]*oid4vci.Configuration{
			employee: {
				Format: oid4vci.FormatJWTVCJSON, Types: []string{"VerifiedEmployee"}, Status: true,
				Validity: oid4vci.Duration(24 * time.Hour),
				Display: []oid4vci.Display{{Name: "Verified Employee", Locale: "en-US", BackgroundColor: "#000000", TextColor: "#ffffff",
					Logo: &oid4vci.Image{URI: "https://contoso.example/card.png", AltText: "card"}}},
				Claims: []oid4vci.ClaimDisplay{{Path: []string{"credentialSubject", "displayName"}, Display: []oid4vci.ClaimLabel{{Name: "Name", Locale: "en-US"}}}},
			},
			badge: {Format: oid4vci.FormatJWTVCJSON, Types: []string{"Badge"}},
		},
	}
}

// newEnv starts an issuer; clock chooses between the environment's settable clock (true) and the real one
// (for wallets that check times themselves).
func newEnv(t testing.TB, settable bool) *env {
	t.Helper()
	e := &env{Env: credtest.NewEnv(t)}
	now := time.Now
	if settable {
		now = e.Now
	}
	e.signer = credtest.KeyDID(t, credential.ES256K)
	creds := &credential.Issuer{Signer: e.signer, Now: now}
	e.status = &status.Manager{Store: &status.FileStore{Dir: t.TempDir()}, Issuer: creds, BaseURL: e.Server.Origin() + "/status"}
	if err := e.status.Create(context.Background(), list, status.StatusList2021, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	e.Server.Mux.Handle("/status/", http.StripPrefix("/status", e.status.Handler()))
	e.sessions = newMemSessions(now)
	e.issuer = &oid4vci.Issuer{
		URL: e.Server.Origin(), Config: testConfig(), Credentials: creds,
		Status: &status.Reserve{Manager: e.status}, StatusList: list, Holders: e.Resolver, Sessions: e.sessions, Now: now,
	}
	if err := e.issuer.Init(); err != nil {
		t.Fatal(err)
	}
	h := e.issuer.Handler()
	for _, p := range []string{oid4vci.PathIssuerMetadata, oid4vci.PathASMetadata, oid4vci.PathOffers, oid4vci.PathToken, oid4vci.PathNonce, oid4vci.PathCredential} {
		e.Server.Mux.Handle(p, h)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(e.Server.CAPEM)
	e.http = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}
	return e
}

// verifier checks credentials with status lists fetched from the test server.
func (e *env) verifier(now func() time.Time) *credential.Verifier {
	core := &credential.Verifier{Resolver: e.Resolver, IgnoreStatus: true, Now: now}
	return &credential.Verifier{Resolver: e.Resolver, Now: now, Status: &status.Checker{Client: e.Client, Verifier: core, TTL: time.Nanosecond}}
}

func (e *env) offer(t testing.TB, r oid4vci.OfferRequest) *oid4vci.Offer {
	t.Helper()
	o, err := e.issuer.CreateOffer(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// preAuthCode reads the pre-authorized code from an offer.
func preAuthCode(t testing.TB, o *oid4vci.Offer) string {
	t.Helper()
	var v struct {
		Grants map[string]struct {
			Code string `json:"pre-authorized_code"`
		} `json:"grants"`
	}
	if err := json.Unmarshal(o.JSON, &v); err != nil {
		t.Fatal(err)
	}
	return v.Grants[oid4vci.GrantPreAuthorized].Code
}

func tokenForm(code, pin string) url.Values {
	f := url.Values{"grant_type": {oid4vci.GrantPreAuthorized}, "pre-authorized_code": {code}}
	if pin != "" {
		f.Set("tx_code", pin)
	}
	return f
}

// proof signs a key proof with the holder's kid.
func proof(t testing.TB, holder *credential.Signer, claims map[string]any) string {
	t.Helper()
	b, _ := json.Marshal(claims)
	jwt, err := holder.Sign(b, oid4vci.ProofType)
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

// proofJWK signs a key proof with the public key in a jwk header (no kid).
func proofJWK(t testing.TB, alg jose.SignatureAlgorithm, key any, claims map[string]any) string {
	t.Helper()
	b, _ := json.Marshal(claims)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, (&jose.SignerOptions{EmbedJWK: true}).WithType(oid4vci.ProofType))
	if err != nil {
		t.Fatal(err)
	}
	obj, err := s.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

func credentialRequest(config, jwt string) []byte {
	b, _ := json.Marshal(map[string]any{"credential_configuration_id": config, "proofs": map[string]any{"jwt": []string{jwt}}})
	return b
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
