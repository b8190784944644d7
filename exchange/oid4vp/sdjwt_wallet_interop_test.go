package oid4vp_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/credential/status/tokenstatus"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/jwe"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/oid4vcitest"
)

// newSDWalletNode is the wallet test's node with a dc+sd-jwt configuration (pid, vct pidVCT, signed by
// sdKey, with a token status list entry) and the verifier's SD-JWT side.
func newSDWalletNode(t *testing.T, sdKey *credential.Signer) *walletNode {
	t.Helper()
	n := newWalletNodeWith(t, func(e *oid4vcitest.Env) {
		e.Status.Tokens = &tokenstatus.Signer{Signer: sdKey}
		if err := e.Status.Create(context.Background(), "tokens", status.TokenStatusList, "revocation", 0); err != nil {
			t.Fatal(err)
		}
		e.Issuer.Formats = map[string]oid4vci.Format{
			oid4vci.FormatSDJWTVC: oid4vci.SDJWTVC{Issuer: &sdjwt.Issuer{Signer: sdKey, Now: e.Issuer.Now}, StatusList: "tokens"},
		}
		e.Issuer.Config.Configurations["pid"] = &oid4vci.Configuration{
			Format: oid4vci.FormatSDJWTVC, VCT: pidVCT, Status: true, Validity: oid4vci.Duration(time.Hour),
			Disclosable: []string{"given_name", "family_name", "birthdate", "address", "address.locality", "nationalities.*"},
		}
	})
	now := n.verifier.Credentials.Now
	sv := &sdjwt.Verifier{Resolver: n.Resolver, Fetcher: n.Client, Now: now}
	sv.Status = &tokenstatus.Checker{Fetcher: n.Client, Keys: sv, DefaultTTL: time.Nanosecond, Now: now}
	n.verifier.SDJWT = sv
	return n
}

// newSDWalletSetup is what the SD-JWT wallet tests start from: the issuer key of the node's dc+sd-jwt
// configuration, the node, the holder's key (EdDSA did:key) as the npm wallet takes it, and offers of a
// PID (pid's claims) and of an employee VC-JWT (displayName Erika).
func newSDWalletSetup(t *testing.T) (sdKey *credential.Signer, n *walletNode, holder *credential.Signer, wallet map[string]any, pidOffer, employeeOffer *oid4vci.Offer) {
	t.Helper()
	sdKey = credtest.KeyDID(t, credential.ES256)
	n = newSDWalletNode(t, sdKey)
	holder = credtest.KeyDID(t, credential.EdDSA)
	jwk, _ := credential.MarshalPrivateJWK(holder.PrivateKey())
	wallet = map[string]any{"jwk": json.RawMessage(jwk), "alg": "EdDSA", "didUrl": holder.KID}
	pidOffer = n.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{"pid"}, Claims: pid, TTL: time.Hour})
	employeeOffer = n.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{oid4vcitest.Employee}, Claims: map[string]any{"displayName": "Erika"}, TTL: time.Hour})
	return sdKey, n, holder, wallet, pidOffer, employeeOffer
}

// disclosedPaths are the paths a verified SD-JWT VC's holder disclosed, as JSON, sorted.
func disclosedPaths(vcd exchange.VerifiedCredentialData) []string {
	var paths []string
	for _, p := range vcd.Disclosed {
		b, _ := json.Marshal(p)
		paths = append(paths, string(b))
	}
	slices.Sort(paths)
	return paths
}

// TestSDJWTWalletInterop: the independent wallet receives a dc+sd-jwt credential from the node's issuer
// (@openid4vc/openid4vci), resolves a DCQL request for some of its claims by claims path
// (@openid4vc/openid4vp), has the OpenWallet Foundation's dcql library pick the claims that answer the
// query and @sd-jwt/sd-jwt-vc present them with a KB-JWT, and posts the response through the library. The
// relying party receives exactly the disclosed claims; a response without a requested claim, or with a
// KB-JWT for another nonce, is refused. One request asks for a VC-JWT and the SD-JWT VC together: the
// wallet answers both queries in one vp_token.
func TestSDJWTWalletInterop(t *testing.T) {
	requireWallet(t)
	sdKey, n, holder, wallet, o, employeeOffer := newSDWalletSetup(t)
	employee := exchange.RequestedCredential{Type: oid4vcitest.Employee, AcceptedIssuers: []string{n.Signer.DID()}}
	askFor := func(ext exchange.PresentationExtensions, also []exchange.RequestedCredential, claims ...[]any) exchange.CreateResponse {
		rc := pidRequest(claims...)
		rc.AcceptedIssuers = []string{sdKey.DID()}
		return n.create(t, exchange.PresentationRequest{RequestedCredentials: append(also, rc), Extensions: &ext})
	}
	ask := func(ext exchange.PresentationExtensions, claims ...[]any) exchange.CreateResponse {
		return askFor(ext, nil, claims...)
	}
	subset := [][]any{{"given_name"}, {"address", "locality"}, {"nationalities", nil}}
	plain, sealed := ask(exchange.PresentationExtensions{}, subset...), ask(exchange.PresentationExtensions{ResponseMode: oid4vp.ModeDirectPostJWT}, subset...)
	withheld, nonce := ask(exchange.PresentationExtensions{}, []any{"given_name"}, []any{"birthdate"}), ask(exchange.PresentationExtensions{}, subset...)
	both := askFor(exchange.PresentationExtensions{}, []exchange.RequestedCredential{employee}, subset...)
	resolve := func(cr exchange.CreateResponse, as string) map[string]any {
		return map[string]any{"op": "resolve", "url": cr.URL, "as": as}
	}
	respond := func(req string) map[string]any {
		return map[string]any{"op": "respond", "request": req, "credential": "pid", "holder": wallet, "as": req}
	}
	with := func(cmd map[string]any, k string, v any) map[string]any { cmd[k] = v; return cmd }
	// What the relying party sees: the disclosed claims (address is one Disclosure holding country, and
	// locality another inside it) and sub, which the node's issuer leaves visible.
	shown := `{"address":{"country":"DE","locality":"Köln"},"given_name":"Erika","nationalities":["DE","FR"],"sub":"` + holder.DID() + `"}`
	disclosed := []string{`["address","locality"]`, `["address"]`, `["given_name"]`, `["nationalities",0]`, `["nationalities",1]`}
	steps := []walletStep{
		{name: "receive", cmd: map[string]any{"op": "receive", "offer": o.ByReference, "txCode": "", "holder": wallet, "configurationId": "pid", "as": "pid"}},
		{name: "receive a VC-JWT", cmd: map[string]any{"op": "receive", "offer": employeeOffer.ByReference, "txCode": "", "holder": wallet, "configurationId": oid4vcitest.Employee, "as": "employee"}},
		{name: "resolve", cmd: resolve(plain, "plain")},
		{name: "present the claims dcql picks", cmd: respond("plain"), request: plain.RequestID},
		{name: "resolve a direct_post.jwt request", cmd: resolve(sealed, "sealed")},
		{name: "present encrypted", cmd: respond("sealed"), request: sealed.RequestID, enc: jwe.A128GCM},
		{name: "resolve a request for birthdate", cmd: resolve(withheld, "withheld")},
		{name: "withhold birthdate", cmd: with(respond("withheld"), "withhold", []string{"birthdate"}), request: withheld.RequestID, code: oid4vp.CodeClaimNotDisclosed, stage: "response"},
		{name: "resolve for a wrong nonce", cmd: resolve(nonce, "nonce")},
		{name: "resolve a request for both", cmd: resolve(both, "both")},
		{name: "present a VC-JWT and an SD-JWT VC", cmd: with(respond("both"), "credentials", map[string]string{oid4vp.FormatJWTVC: "employee", oid4vp.FormatSDJWT: "pid"}),
			request: both.RequestID, credentials: 2},
		{name: "KB-JWT for another nonce", cmd: with(respond("nonce"), "nonce", "not-the-request-nonce"), request: nonce.RequestID, code: string(credential.CodeNonceMismatch), stage: "response"},
	}
	n.run(t, holder.DID(), steps, func(t *testing.T, s walletStep, r interopResult) {
		switch {
		case s.cmd["op"] != "receive":
		case s.cmd["configurationId"] == oid4vcitest.Employee:
			if r.Issuer != n.Signer.DID() || r.Subject != holder.DID() {
				t.Fatalf("did-jwt-vc read issuer %s subject %s", r.Issuer, r.Subject)
			}
		case r.Format != oid4vp.FormatSDJWT || r.VCT != pidVCT:
			t.Fatalf("received format %q vct %q", r.Format, r.VCT)
		}
	}, func(t *testing.T, vcd exchange.VerifiedCredentialData) {
		if slices.Contains(vcd.Type, oid4vcitest.Employee) {
			if vcd.Issuer != n.Signer.DID() || string(vcd.Claims) != `{"displayName":"Erika"}` {
				t.Fatalf("verified %s claims %s", vcd.Issuer, vcd.Claims)
			}
			return
		}
		paths := disclosedPaths(vcd)
		if vcd.Issuer != sdKey.DID() || !slices.Equal(vcd.Type, []string{pidVCT}) || string(vcd.Claims) != shown ||
			!slices.Equal(paths, disclosed) || vcd.CredentialState.RevocationStatus != "VALID" {
			t.Fatalf("verified %s %v %s, claims %s, disclosed %v", vcd.Issuer, vcd.Type, vcd.CredentialState.RevocationStatus, vcd.Claims, paths)
		}
	})
}
