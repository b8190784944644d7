package oid4vp_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/nodetest"
	"github.com/ionode/ionode/resolver"
)

// sdjwtHarness is the @sd-jwt/* cross-check harness of credential/sdjwt.
const sdjwtHarness = "../../credential/sdjwt/interop"

// TestSDJWTPresentationInterop: an SD-JWT VC issued and presented by @sd-jwt/sd-jwt-vc (the holder's
// KB-JWT over the request's nonce and client_id) is accepted by the node's verifier with exactly the
// disclosed claims; a presentation that leaves out a requested claim is refused.
func TestSDJWTPresentationInterop(t *testing.T) {
	nodetest.Require(t, sdjwtHarness, "@sd-jwt/sd-jwt-vc")
	h := newSDHarness(t)
	// @sd-jwt signs with the real clock (iat): the node's clock catches up with it.
	h.env.Advance(time.Since(h.env.Now()))
	issuer := credtest.KeyDID(t, credential.ES256)
	issuerJWK, err := credential.MarshalPrivateJWK(issuer.PrivateKey())
	if err != nil {
		t.Fatal(err)
	}
	holder, _ := credential.GenerateKey(credential.ES256)
	holderJWK, _ := credential.MarshalPrivateJWK(holder)
	holderSigner, _ := credential.NewBareSigner("", holder)
	holderPub, err := resolver.MarshalJWK(holderSigner.Public())
	if err != nil {
		t.Fatal(err)
	}
	var issued []struct {
		SD    string `json:"sd"`
		Error string `json:"error"`
	}
	nodetest.RunJSON(t, sdjwtHarness, "interop.mjs", nil, []map[string]any{{
		"op": "issue", "issuerJwk": json.RawMessage(issuerJWK), "kid": issuer.KID, "iss": issuer.DID(), "vct": pidVCT,
		"holderJwk": json.RawMessage(holderPub), "claims": pid,
		"frame": map[string]any{"_sd": []string{"given_name", "family_name", "birthdate"}, "address": map[string]any{"_sd": []string{"locality"}}},
	}}, &issued)
	if issued[0].SD == "" {
		t.Fatalf("@sd-jwt issue: %s", issued[0].Error)
	}

	ok := h.create(t, pidRequest())
	wOK, _, _ := h.fetch(t, ok)
	missing := h.create(t, pidRequest([]any{"given_name"}, []any{"birthdate"}))
	wMissing, _, _ := h.fetch(t, missing)
	frame := map[string]any{"given_name": true, "address": map[string]any{"locality": true}}
	var presented []struct {
		SD    string `json:"sd"`
		Error string `json:"error"`
	}
	nodetest.RunJSON(t, sdjwtHarness, "interop.mjs", nil, []map[string]any{
		{"op": "present", "sd": issued[0].SD, "holderJwk": json.RawMessage(holderJWK), "frame": frame, "aud": wOK.clientID, "nonce": wOK.nonce},
		{"op": "present", "sd": issued[0].SD, "holderJwk": json.RawMessage(holderJWK), "frame": frame, "aud": wMissing.clientID, "nonce": wMissing.nonce},
	}, &presented)
	for _, p := range presented {
		if p.SD == "" {
			t.Fatalf("@sd-jwt present: %s", p.Error)
		}
	}
	token := func(w wallet, sd string) string {
		b, _ := json.Marshal(map[string][]string{w.dcql.Credentials[0].ID: {sd}})
		return string(b)
	}
	if code, c := h.post(t, wOK, token(wOK, presented[0].SD)); code != http.StatusOK {
		t.Fatalf("our verifier refused @sd-jwt's presentation: %d %s", code, c)
	}
	if code, c := h.post(t, wMissing, token(wMissing, presented[1].SD)); code != http.StatusBadRequest || c != oid4vp.CodeClaimNotDisclosed {
		t.Fatalf("a presentation without birthdate: %d %s", code, c)
	}
	h.verifier.Dispatcher.Wait()
	ev := h.rp.byRequest(ok.RequestID)[exchange.StatusPresentationVerified]
	if len(ev.VerifiedCredentialsData) != 1 {
		t.Fatalf("presentation_verified %+v", ev)
	}
	vcd := ev.VerifiedCredentialsData[0]
	if want := `{"address":{"country":"DE","locality":"Köln"},"given_name":"Erika","nationalities":["DE","FR"]}`; vcd.Issuer != issuer.DID() || string(vcd.Claims) != want {
		t.Fatalf("verified %s claims %s, want %s", vcd.Issuer, vcd.Claims, want)
	}
	if got, _ := json.Marshal(vcd.Disclosed); string(got) != `[["given_name"],["address","locality"]]` && string(got) != `[["address","locality"],["given_name"]]` {
		t.Fatalf("disclosed %s", got)
	}
}
