package oid4vp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/jwe"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/nodetest"
	"github.com/ionode/ionode/internal/oid4vcitest"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver/web"
)

// walletNode is one HTTPS server with the node's OpenID4VCI issuer and its Request Service API
// (createPresentationRequest, request_uri, response_uri), on the real clock (the wallet checks times
// itself) with the verifier's request clock movable through a test-only route.
type walletNode struct {
	*oid4vcitest.Env
	verifier *oid4vp.Verifier
	rp       *rp
}

func newWalletNode(t *testing.T) *walletNode {
	t.Helper()
	return newWalletNodeWith(t, nil)
}

// newWalletNodeWith is newWalletNode with setup run on the issuer's environment before it starts (to add
// formats and configurations).
func newWalletNodeWith(t *testing.T, setup func(e *oid4vcitest.Env)) *walletNode {
	t.Helper()
	e := oid4vcitest.NewEnvWith(t, false, setup)
	n := &walletNode{Env: e, rp: newRP(t)}
	now := e.MovableClock()
	st, err := pebble.Open(t.TempDir(), pebble.Options{CacheSize: 1 << 20, StateMemoSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(context.Background()) })
	requests := &exchange.Requests{Sessions: st, Now: now}
	guard := web.Guard{AllowLoopback: true} // the relying party listens on loopback in this test
	n.verifier = &oid4vp.Verifier{
		Requests:    requests,
		Dispatcher:  &exchange.Dispatcher{Client: exchange.NewCallbackClient(guard, true), Guard: guard, Backoff: time.Millisecond},
		Credentials: e.Verifier(time.Now),
		Signer:      credtest.KeyDID(t, credential.ES256),
		BaseURL:     e.Server.Origin(),
	}
	t.Cleanup(n.verifier.Dispatcher.Wait)
	mux := exchange.NewMux(requests, []string{httpapi.HashToken(adminToken)})
	n.verifier.Mount(mux)
	e.Server.Mux.Handle(exchange.APIPrefix+"/", mux)
	return n
}

// create asks for a presentation over HTTPS with the admin token and returns the wallet URL.
func (n *walletNode) create(t *testing.T, pr exchange.PresentationRequest) exchange.CreateResponse {
	t.Helper()
	pr.Registration = exchange.Registration{ClientName: "Contoso", Purpose: "prove employment"}
	pr.Callback = &exchange.Callback{URL: n.rp.srv.URL + "/cb", State: "rp-state", Headers: map[string]string{"api-key": "rp-key"}}
	body, _ := json.Marshal(pr)
	req, _ := http.NewRequest("POST", n.Server.Origin()+exchange.APIPrefix+"/createPresentationRequest", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := n.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	var cr exchange.CreateResponse
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(out, &cr) != nil {
		t.Fatalf("create: %d %s", resp.StatusCode, out)
	}
	return cr
}

type interopResult struct {
	OK      bool   `json:"ok"`
	Stage   string `json:"stage"`
	Status  int    `json:"status"`
	Error   string `json:"error"`
	Issuer  string `json:"issuer"`
	Subject string `json:"subject"`
	Prefix  string `json:"prefix"`
	Version int    `json:"version"`
	Query   string `json:"query"`
	Enc     string `json:"enc"`    // the enc of an encrypted response
	Format  string `json:"format"` // of a received dc+sd-jwt credential
	VCT     string `json:"vct"`
}

// requireWallet skips (fails in CI) unless the npm packages interop/wallet.mjs imports are installed.
func requireWallet(t *testing.T) {
	t.Helper()
	for _, m := range []string{"@openid4vc/openid4vp", "jose", "dcql", "@sd-jwt/sd-jwt-vc", "@sd-jwt/decode"} {
		nodetest.Require(t, "interop", m)
	}
	nodetest.Require(t, "../oid4vci/interop", "@openid4vc/openid4vci") // the holder's receiving half
}

// walletStep is one command of an interop wallet run and what it must come to.
type walletStep struct {
	name    string
	cmd     map[string]any
	request string // the request whose callbacks the step decides; "" = none
	code    string // "" = accepted
	stage   string // where the wallet met the refusal
	errHas  string // what the wallet's error says, if the step checks it
	draft   bool   // a presentation_definition request (the drafts)
	enc     string // the content encryption of an accepted direct_post.jwt response
	// credentials is how many verified credentials an accepted response yields, if not one.
	credentials int
}

// run has the interop wallet (interop/wallet.mjs) run the steps' commands in one process, then checks
// each step as a subtest: the wallet's result, check's op-specific expectations and, for a step that
// decides a request, the relying party's callbacks: request_retrieved, then only presentation_error with
// the step's code, or presentation_verified by holder with the step's number of credentials, each of
// which verified checks.
func (n *walletNode) run(t *testing.T, holder string, steps []walletStep, check func(t *testing.T, s walletStep, r interopResult),
	verified func(t *testing.T, vcd exchange.VerifiedCredentialData)) {
	t.Helper()
	cmds := make([]map[string]any, len(steps))
	for i, s := range steps {
		cmds[i] = s.cmd
	}
	var res []interopResult
	env := []string{"NODE_EXTRA_CA_CERTS=" + n.Server.WriteCA(t, t.TempDir()), "IONODE_TEST_URL=" + n.Server.Origin() + "/test"}
	nodetest.RunJSON(t, "interop", "wallet.mjs", env, cmds, &res)
	if len(res) != len(cmds) {
		t.Fatalf("%d results for %d commands", len(res), len(cmds))
	}
	n.verifier.Dispatcher.Wait()
	for i, s := range steps {
		r := res[i]
		t.Run(s.name, func(t *testing.T) {
			switch {
			case s.stage == "" && !r.OK:
				t.Fatalf("stage %s: %s", r.Stage, r.Error)
			case s.stage != "" && (r.OK || r.Stage != s.stage):
				t.Fatalf("got ok=%v stage=%q error=%q, want a refusal at %s", r.OK, r.Stage, r.Error, s.stage)
			case s.code != "" && (r.Status != http.StatusBadRequest || r.Error != s.code):
				t.Fatalf("got HTTP %d %q, want 400 %s", r.Status, r.Error, s.code)
			case !strings.Contains(r.Error, s.errHas):
				t.Fatalf("the wallet's error %q does not say %q", r.Error, s.errHas)
			}
			switch s.cmd["op"] {
			case "respond":
				if r.OK && r.Enc != s.enc {
					t.Fatalf("the wallet encrypted with enc %q, want %q", r.Enc, s.enc)
				}
			case "resolve":
				// The library reads a presentation_definition request with client_id_scheme=did as draft 21.
				query, version := "dcql", 100
				if s.draft {
					query, version = oid4vp.QueryPresentationDefinition, 21
				}
				if r.OK && (r.Prefix != "decentralized_identifier" || r.Version != version || r.Query != query) {
					t.Fatalf("the wallet read prefix %q version %d query %q", r.Prefix, r.Version, r.Query)
				}
			}
			check(t, s, r)
			if s.request == "" {
				return
			}
			events := n.rp.byRequest(s.request)
			if ev, ok := events[exchange.StatusRetrieved]; !ok || ev.State != "rp-state" {
				t.Fatalf("no request_retrieved callback: %+v", events)
			}
			ev, ok := events[exchange.StatusPresentationVerified]
			if s.code != "" {
				if e := events[exchange.StatusPresentationError]; ok || e.Error == nil || e.Error.Code != s.code {
					t.Fatalf("callbacks %+v, want only presentation_error %s", events, s.code)
				}
				return
			}
			if !ok || ev.Subject != holder || len(ev.VerifiedCredentialsData) != max(1, s.credentials) {
				t.Fatalf("presentation_verified callback: %+v", events)
			}
			for _, vcd := range ev.VerifiedCredentialsData {
				verified(t, vcd)
			}
		})
	}
}

// TestWalletInterop has an independent wallet (the OpenWallet Foundation's @openid4vc/openid4vci and
// @openid4vc/openid4vp in Node.js) receive a credential from the node's issuer and present it to the
// node's verifier, and checks that nothing it sends wrongly is accepted.
func TestWalletInterop(t *testing.T) {
	requireWallet(t)
	n := newWalletNode(t)
	holder := credtest.KeyDID(t, credential.EdDSA)
	jwk, _ := credential.MarshalPrivateJWK(holder.PrivateKey())
	wallet := map[string]any{"jwk": json.RawMessage(jwk), "alg": "EdDSA", "didUrl": holder.KID}
	claims := map[string]any{"displayName": "Alice", "jobTitle": "Engineer"}
	const pin = "493027"
	offer := func(pin string) *oid4vci.Offer {
		return n.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{oid4vcitest.Employee}, Claims: claims, PIN: pin, TTL: time.Hour})
	}
	employee := exchange.RequestedCredential{Type: oid4vcitest.Employee, AcceptedIssuers: []string{n.Signer.DID()}}
	askWith := func(ext exchange.PresentationExtensions) exchange.CreateResponse {
		pr := exchange.PresentationRequest{RequestedCredentials: []exchange.RequestedCredential{employee}, Extensions: &ext}
		return n.create(t, pr)
	}
	ask := func() exchange.CreateResponse { return askWith(exchange.PresentationExtensions{}) }
	receive := func(o, tx, as string) map[string]any {
		return map[string]any{"op": "receive", "offer": o, "txCode": tx, "holder": wallet, "configurationId": oid4vcitest.Employee, "as": as}
	}
	resolve := func(cr exchange.CreateResponse, as string) map[string]any {
		return map[string]any{"op": "resolve", "url": cr.URL, "as": as}
	}
	respond := func(req, cred, as string) map[string]any {
		return map[string]any{"op": "respond", "request": req, "credential": cred, "holder": wallet, "as": as}
	}
	with := func(cmd map[string]any, k string, v any) map[string]any { cmd[k] = v; return cmd }

	plain, locked, replayed, nonce, tampered, expired, late := ask(), ask(), ask(), ask(), ask(), ask(), ask()
	pe := func() exchange.CreateResponse {
		return askWith(exchange.PresentationExtensions{Query: oid4vp.QueryPresentationDefinition})
	}
	pd, pdNested, pdOther := pe(), pe(), pe()
	// direct_post.jwt: the library encrypts to the key in the request's client_metadata.jwks.
	sealed := func(query string) exchange.CreateResponse {
		return askWith(exchange.PresentationExtensions{Query: query, ResponseMode: oid4vp.ModeDirectPostJWT})
	}
	enc128, enc256, encTampered, encOther, encClear, encPD := sealed(""), sealed(""), sealed(""), sealed(""), sealed(""), sealed(oid4vp.QueryPresentationDefinition)
	// SIOPv2: the library (0.4.6) reads only response_type vp_token, so it cannot answer with an id_token.
	siop := askWith(exchange.PresentationExtensions{ResponseType: oid4vp.TypeVPTokenIDToken})
	steps := []walletStep{
		{"receive without tx_code", receive(offer("").ByReference, "", "plain"), "", "", "", "", false, "", 0},
		{"receive with tx_code", receive(offer(pin).ByValue, pin, "locked"), "", "", "", "", false, "", 0},
		{"resolve the request object", resolve(plain, "plain"), "", "", "", "", false, "", 0},
		{"present with DCQL", respond("plain", "plain", "plain"), plain.RequestID, "", "", "", false, "", 0},
		{"resolve the second request", resolve(locked, "locked"), "", "", "", "", false, "", 0},
		{"present the tx_code credential", respond("locked", "locked", "locked"), locked.RequestID, "", "", "", false, "", 0},
		{"resolve for the replay", resolve(replayed, "replayed"), "", "", "", "", false, "", 0},
		{"first response", respond("replayed", "plain", "replayed"), replayed.RequestID, "", "", "", false, "", 0},
		{"replayed response", map[string]any{"op": "resubmit", "response": "replayed"}, "", oid4vp.CodeUsed, "response", "", false, "", 0},
		{"request_uri after the response", resolve(replayed, "again"), "", "", "resolve", "", false, "", 0},
		{"resolve for a wrong nonce", resolve(nonce, "nonce"), "", "", "", "", false, "", 0},
		{"wrong nonce", with(respond("nonce", "plain", "nonce"), "nonce", "not-the-request-nonce"), nonce.RequestID, string(credential.CodeNonceMismatch), "response", "", false, "", 0},
		{"resolve for tampering", resolve(tampered, "tampered"), "", "", "", "", false, "", 0},
		{"tampered vp_token", with(respond("tampered", "plain", "tampered"), "tamper", true), tampered.RequestID, string(credential.CodeInvalidSignature), "response", "", false, "", 0},
		{"resolve a presentation_definition request", resolve(pd, "pd"), "", "", "", "", true, "", 0},
		{"present with a presentation_submission", respond("pd", "plain", "pd"), pd.RequestID, "", "", "", true, "", 0},
		{"replayed submission", map[string]any{"op": "resubmit", "response": "pd"}, "", oid4vp.CodeUsed, "response", "", true, "", 0},
		{"resolve for the JWT-claims path", resolve(pdNested, "pdNested"), "", "", "", "", true, "", 0},
		{"path_nested $.vp.verifiableCredential[0]", with(respond("pdNested", "locked", "pdNested"), "nestedPath", "$.vp.verifiableCredential[0]"), pdNested.RequestID, "", "", "", true, "", 0},
		{"resolve for another definition", resolve(pdOther, "pdOther"), "", "", "", "", true, "", 0},
		{"submission for another definition", with(respond("pdOther", "plain", "pdOther"), "definitionId", "not-this-one"), pdOther.RequestID, oid4vp.CodeSubmission, "response", "", true, "", 0},
		{"resolve a direct_post.jwt request", resolve(enc128, "enc128"), "", "", "", "", false, "", 0},
		{"encrypted response (A128GCM)", respond("enc128", "plain", "enc128"), enc128.RequestID, "", "", "", false, jwe.A128GCM, 0},
		{"replayed encrypted response", map[string]any{"op": "resubmit", "response": "enc128"}, "", oid4vp.CodeUsed, "response", "", false, "", 0},
		{"resolve for A256GCM", resolve(enc256, "enc256"), "", "", "", "", false, "", 0},
		{"encrypted response (A256GCM)", with(respond("enc256", "locked", "enc256"), "encs", []string{jwe.A256GCM}), enc256.RequestID, "", "", "", false, jwe.A256GCM, 0},
		{"resolve for a tampered JWE", resolve(encTampered, "encTampered"), "", "", "", "", false, "", 0},
		{"tampered JWE", with(respond("encTampered", "plain", "encTampered"), "jwe", "tamper"), encTampered.RequestID, oid4vp.CodeDecryption, "response", "", false, "", 0},
		{"resolve for another key", resolve(encOther, "encOther"), "", "", "", "", false, "", 0},
		{"JWE to another key", with(respond("encOther", "plain", "encOther"), "jwe", "otherKey"), encOther.RequestID, oid4vp.CodeDecryption, "response", "", false, "", 0},
		{"resolve for a response in the clear", resolve(encClear, "encClear"), "", "", "", "", false, "", 0},
		{"unencrypted response", with(respond("encClear", "plain", "encClear"), "jwe", "clear"), encClear.RequestID, oid4vp.CodeResponseMode, "response", "", false, "", 0},
		{"resolve an encrypted presentation_definition request", resolve(encPD, "encPD"), "", "", "", "", true, "", 0},
		{"encrypted presentation_submission", respond("encPD", "plain", "encPD"), encPD.RequestID, "", "", "", true, jwe.A128GCM, 0},
		{name: "SIOPv2: the library reads no vp_token id_token request", cmd: resolve(siop, "siop"), stage: "resolve", errHas: `Expected value to be "vp_token" at "response_type"`},
		{"resolve before expiry", resolve(expired, "expired"), "", "", "", "", false, "", 0},
		{"the request expires", map[string]any{"op": "advance", "by": (exchange.DefaultLifetime + time.Second).String()}, "", "", "", "", false, "", 0},
		{"response after expiry", respond("expired", "plain", "expired"), expired.RequestID, oid4vp.CodeExpired, "response", "", false, "", 0},
		{"request_uri after expiry", resolve(late, "late"), "", "", "resolve", "", false, "", 0},
	}
	n.run(t, holder.DID(), steps, func(t *testing.T, s walletStep, r interopResult) {
		if s.cmd["op"] == "receive" && (r.Issuer != n.Signer.DID() || r.Subject != holder.DID()) {
			t.Fatalf("did-jwt-vc read issuer %s subject %s", r.Issuer, r.Subject)
		}
	}, func(t *testing.T, vcd exchange.VerifiedCredentialData) {
		var got map[string]any
		_ = json.Unmarshal(vcd.Claims, &got)
		if vcd.Issuer != n.Signer.DID() || got["displayName"] != "Alice" || got["jobTitle"] != "Engineer" || len(got) != 2 || vcd.CredentialState.RevocationStatus != "VALID" {
			t.Fatalf("verified credential %+v claims %s", vcd, vcd.Claims)
		}
	})
}
