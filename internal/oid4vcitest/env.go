package oid4vcitest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/credtest"
)

// Env is an issuer on the test HTTPS server (its origin is the credential issuer identifier), with a
// status list, a did:key issuer and resolvers for holders.
type Env struct {
	*credtest.Env
	Issuer   *oid4vci.Issuer
	Status   *status.Manager
	Signer   *credential.Signer // the credential issuer's key (did:key, ES256K)
	Sessions *Sessions
	HTTP     *http.Client // trusts the test server
}

// Configuration ids of Config and the status list id.
const (
	Employee = "VerifiedEmployee" // with display, claims, a status entry and 24 hours of validity
	Badge    = "Badge"            // neither status nor expiry
	List     = "revocation"
)

// Config is the test issuer's configurations.
func Config() *oid4vci.Config {
	return &oid4vci.Config{
		Display: []oid4vci.Display{{Name: "Contoso", Locale: "en-US", Logo: &oid4vci.Image{URI: "https://contoso.example/logo.png", AltText: "Contoso logo"}}},
		Configurations: map[string]*oid4vci.Configuration{
			Employee: {
				Format: oid4vci.FormatJWTVCJSON, Types: []string{"VerifiedEmployee"}, Status: true,
				Validity: oid4vci.Duration(24 * time.Hour),
				Display: []oid4vci.Display{{Name: "Verified Employee", Locale: "en-US", BackgroundColor: "#000000", TextColor: "#ffffff",
					Logo: &oid4vci.Image{URI: "https://contoso.example/card.png", AltText: "card"}}},
				Claims: []oid4vci.ClaimDisplay{{Path: []string{"credentialSubject", "displayName"}, Display: []oid4vci.ClaimLabel{{Name: "Name", Locale: "en-US"}}}},
			},
			Badge: {Format: oid4vci.FormatJWTVCJSON, Types: []string{"Badge"}},
		},
	}
}

// NewEnv starts an issuer; settable chooses between the environment's settable clock (true) and the real one
// (for wallets that check times themselves).
func NewEnv(t testing.TB, settable bool) *Env {
	t.Helper()
	return NewEnvWith(t, settable, nil)
}

// NewEnvWith is NewEnv with setup run on the environment before the issuer starts (to add formats and
// configurations).
func NewEnvWith(t testing.TB, settable bool, setup func(e *Env)) *Env {
	t.Helper()
	e := &Env{Env: credtest.NewEnv(t)}
	now := time.Now
	if settable {
		now = e.Now
	}
	e.Signer = credtest.KeyDID(t, credential.ES256K)
	creds := &credential.Issuer{Signer: e.Signer, Now: now}
	e.Status = &status.Manager{Store: &status.FileStore{Dir: t.TempDir()}, Issuer: creds, BaseURL: e.Server.Origin() + "/status"}
	if err := e.Status.Create(context.Background(), List, status.StatusList2021, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	e.Server.Mux.Handle("/status/", http.StripPrefix("/status", e.Status.Handler()))
	e.Sessions = NewSessions(now)
	e.Issuer = &oid4vci.Issuer{
		URL: e.Server.Origin(), Config: Config(), Credentials: creds,
		Status: &status.Reserve{Manager: e.Status}, StatusList: List, Holders: e.Resolver, Sessions: e.Sessions, Now: now,
	}
	if setup != nil {
		setup(e)
	}
	if err := e.Issuer.Init(); err != nil {
		t.Fatal(err)
	}
	h := e.Issuer.Handler()
	for _, p := range []string{oid4vci.PathIssuerMetadata, oid4vci.PathASMetadata, oid4vci.PathOffers, oid4vci.PathToken, oid4vci.PathNonce, oid4vci.PathCredential} {
		e.Server.Mux.Handle(p, h)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(e.Server.CAPEM)
	e.HTTP = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}
	return e
}

// Verifier checks credentials with status lists fetched from the test server.
func (e *Env) Verifier(now func() time.Time) *credential.Verifier {
	core := &credential.Verifier{Resolver: e.Resolver, IgnoreStatus: true, Now: now}
	return &credential.Verifier{Resolver: e.Resolver, Now: now, Status: &status.Checker{Client: e.Client, Verifier: core, TTL: time.Nanosecond}}
}

// Offer creates an offer.
func (e *Env) Offer(t testing.TB, r oid4vci.OfferRequest) *oid4vci.Offer {
	t.Helper()
	o, err := e.Issuer.CreateOffer(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// PreAuthCode reads the pre-authorized code from an offer.
func PreAuthCode(t testing.TB, o *oid4vci.Offer) string {
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

// TokenForm is a token request.
func TokenForm(code, pin string) url.Values {
	f := url.Values{"grant_type": {oid4vci.GrantPreAuthorized}, "pre-authorized_code": {code}}
	if pin != "" {
		f.Set("tx_code", pin)
	}
	return f
}

// Proof signs a key proof with the holder's kid.
func Proof(t testing.TB, holder *credential.Signer, claims map[string]any) string {
	t.Helper()
	b, _ := json.Marshal(claims)
	jwt, err := holder.Sign(b, oid4vci.ProofType)
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

// ProofJWK signs a key proof with the public key in a jwk header (no kid).
func ProofJWK(t testing.TB, alg jose.SignatureAlgorithm, key any, claims map[string]any) string {
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

// CredentialRequest is a credential request body with one jwt proof.
func CredentialRequest(config, jwt string) []byte {
	b, _ := json.Marshal(map[string]any{"credential_configuration_id": config, "proofs": map[string]any{"jwt": []string{jwt}}})
	return b
}

// MustJSON marshals v.
func MustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Exchange runs what a wallet does after the offer: token, nonce, credential. sign makes the proof for
// a nonce.
func (e *Env) Exchange(t testing.TB, code, pin, config string, sign func(nonce string) string) (string, error) {
	t.Helper()
	ctx := context.Background()
	tok, err := e.Issuer.Token(ctx, TokenForm(code, pin))
	if err != nil {
		return "", err
	}
	n, err := e.Issuer.NewNonce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.Issuer.Credential(ctx, tok.AccessToken, CredentialRequest(config, sign(n)))
	if err != nil {
		return "", err
	}
	if len(resp.Credentials) != 1 {
		t.Fatalf("%d credentials", len(resp.Credentials))
	}
	return resp.Credentials[0].Credential, nil
}

// MovableClock returns the real clock plus an offset that a wallet in another process moves forward
// through POST /test/advance?by=<duration> on the test server (it signs with the real clock, so only the
// node's clock may move).
func (e *Env) MovableClock() func() time.Time {
	var offset atomic.Int64
	e.Server.Mux.HandleFunc("POST /test/advance", func(w http.ResponseWriter, r *http.Request) {
		d, err := time.ParseDuration(r.URL.Query().Get("by"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		offset.Add(int64(d))
	})
	return func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
}
