package oid4vci_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/nodetest"
	"github.com/ionode/ionode/resolver/key"
)

type walletResult struct {
	OK         bool            `json:"ok"`
	Stage      string          `json:"stage"`
	Error      string          `json:"error"`
	Credential string          `json:"credential"`
	Issuer     string          `json:"issuer"`
	Subject    string          `json:"subject"`
	Display    json.RawMessage `json:"display"`
	Format     string          `json:"format"`
	VCT        string          `json:"vct"`
}

// runWallet runs interop/wallet.mjs with the commands and returns one result per command.
func runWallet(t *testing.T, e *env, cmds []map[string]any) []walletResult {
	t.Helper()
	env := []string{"NODE_EXTRA_CA_CERTS=" + e.Server.WriteCA(t, t.TempDir()), "IONODE_TEST_URL=" + e.Server.Origin() + "/test"}
	var res []walletResult
	nodetest.RunJSON(t, "interop", "wallet.mjs", env, cmds, &res)
	if len(res) != len(cmds) {
		t.Fatalf("%d results for %d commands", len(res), len(cmds))
	}
	return res
}

// TestWalletInterop has an independent wallet (@openid4vc/openid4vci in Node.js) receive credentials
// from the issuer, and checks the refusals it meets.
func TestWalletInterop(t *testing.T) {
	nodetest.Require(t, "interop", "@openid4vc/openid4vci")
	e := newEnv(t, false)
	// The wallet signs proofs with the real clock; the issuer's clock runs offset by what the wallet asks
	// (to pass tx_code locks), through a test-only route.
	e.Issuer.Now = e.MovableClock()
	e.Sessions.Now = e.Issuer.Now
	ctx := context.Background()

	edHolder := credtest.KeyDID(t, credential.EdDSA)
	edJWK, _ := credential.MarshalPrivateJWK(edHolder.PrivateKey())
	p256, _ := credential.GenerateKey(credential.ES256)
	p256JWK, _ := credential.MarshalPrivateJWK(p256)
	p256Signer, _ := credential.NewSigner("did:key:x#x", p256)
	p256DID, _ := key.DIDJWK(p256Signer.Public())
	kidHolder := map[string]any{"jwk": json.RawMessage(edJWK), "alg": "EdDSA", "didUrl": edHolder.KID}
	jwkHolder := map[string]any{"jwk": json.RawMessage(p256JWK), "alg": "ES256"}

	claims := map[string]any{"displayName": "Alice", "jobTitle": "Engineer"}
	const pin = "739164"
	offer := func(pin string) *oid4vci.Offer {
		return e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{employee}, Claims: claims, PIN: pin, TTL: time.Hour})
	}
	receive := func(o string, tx string, holder map[string]any) map[string]any {
		return map[string]any{"op": "receive", "offer": o, "txCode": tx, "holder": holder, "configurationId": employee}
	}
	token := func(o string, tx string) map[string]any {
		return map[string]any{"op": "token", "offer": o, "txCode": tx}
	}
	advance := func(d time.Duration) map[string]any { return map[string]any{"op": "advance", "by": d.String()} }

	reused, locked, burned := offer(""), offer(pin), offer(pin)
	wrongNonce, wrongAud := receive(offer("").ByReference, "", kidHolder), receive(offer("").ByReference, "", kidHolder)
	wrongNonce["nonce"] = "not-the-issued-nonce"
	wrongAud["aud"] = "https://evil.example"
	type step struct {
		name  string
		cmd   map[string]any
		stage string // "" = success
		code  oid4vci.Code
		want  string // holder DID of a received credential
	}
	steps := []step{
		{"by reference, no tx_code, did:key kid", receive(offer("").ByReference, "", kidHolder), "", "", edHolder.DID()},
		{"by value, tx_code, bare jwk", receive(offer(pin).ByValue, pin, jwkHolder), "", "", p256DID},
		{"proof with a wrong nonce", wrongNonce, "credential", oid4vci.CodeInvalidNonce, ""},
		{"proof for another audience", wrongAud, "credential", oid4vci.CodeInvalidProof, ""},
		{"first use of a code", receive(reused.ByReference, "", kidHolder), "", "", edHolder.DID()},
		{"reused pre-authorized code", token(reused.ByReference, ""), "token", oid4vci.CodeInvalidGrant, ""},
		{"wrong tx_code", token(locked.ByReference, "000000"), "token", oid4vci.CodeInvalidGrant, ""},
		{"right tx_code while locked: rate limited", token(locked.ByReference, pin), "token", oid4vci.CodeSlowDown, ""},
		{"lock passes", advance(time.Second), "", "", ""},
		{"right tx_code after the lock", token(locked.ByReference, pin), "", "", ""},
	}
	for k := range 5 {
		steps = append(steps,
			step{"burning: wrong tx_code", token(burned.ByReference, "111111"), "token", oid4vci.CodeInvalidGrant, ""},
			step{"burning: lock passes", advance(time.Second << k), "", "", ""})
	}
	steps = append(steps, step{"right tx_code after the code burned", token(burned.ByReference, pin), "token", oid4vci.CodeInvalidGrant, ""})

	cmds := make([]map[string]any, len(steps))
	for k, s := range steps {
		cmds[k] = s.cmd
	}
	res := runWallet(t, e, cmds)
	v := e.Verifier(time.Now)
	for k, s := range steps {
		r := res[k]
		t.Run(s.name, func(t *testing.T) {
			if s.stage != "" {
				if r.OK || r.Stage != s.stage || !strings.Contains(r.Error, string(s.code)) {
					t.Fatalf("got ok=%v stage=%q error=%q, want a refusal at %s with %s", r.OK, r.Stage, r.Error, s.stage, s.code)
				}
				return
			}
			if !r.OK {
				t.Fatalf("stage %s: %s", r.Stage, r.Error)
			}
			if s.want == "" {
				return
			}
			// did-jwt-vc verified it in the wallet; ours too, with the status list.
			if r.Issuer != e.Signer.DID() || r.Subject != s.want {
				t.Fatalf("did-jwt-vc read issuer %s subject %s", r.Issuer, r.Subject)
			}
			got := v.VerifyCredential(ctx, r.Credential)
			if !got.Valid || got.Credential.Subject != s.want || len(got.Credential.Status) != 1 {
				t.Fatalf("our verifier: valid=%v %s %s %+v", got.Valid, got.Code, got.Detail, got.Credential)
			}
			if !bytes.Contains(r.Display, []byte(`"Verified Employee"`)) || !bytes.Contains(r.Display, []byte(`"Contoso"`)) {
				t.Fatalf("the wallet did not read the display: %s", r.Display)
			}
		})
	}
}
