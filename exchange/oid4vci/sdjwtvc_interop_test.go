package oid4vci_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/nodetest"
	"github.com/ionode/ionode/resolver"
)

// sdjwtHarness is the @sd-jwt/* cross-check harness of credential/sdjwt.
const sdjwtHarness = "../../credential/sdjwt/interop"

// TestSDJWTVCWalletInterop: the independent wallet (@openid4vc/openid4vci) receives a dc+sd-jwt
// credential bound to its bare jwk; @sd-jwt/sd-jwt-vc verifies it and presents given_name with a
// KB-JWT, which our verifier accepts.
func TestSDJWTVCWalletInterop(t *testing.T) {
	nodetest.Require(t, "interop", "@openid4vc/openid4vci")
	nodetest.Require(t, sdjwtHarness, "@sd-jwt/sd-jwt-vc")
	e := newSDEnv(t, false)
	ctx := context.Background()
	holder, _ := credential.GenerateKey(credential.ES256)
	holderJWK, _ := credential.MarshalPrivateJWK(holder)
	issuerJWK, err := resolver.MarshalJWK(e.SD.Public())
	if err != nil {
		t.Fatal(err)
	}
	o := e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{identity}, Claims: identityClaims, PIN: "4711", TTL: time.Hour})
	res := runWallet(t, e.env, []map[string]any{{"op": "receive", "offer": o.ByReference, "txCode": "4711", "configurationId": identity,
		"holder": map[string]any{"jwk": json.RawMessage(holderJWK), "alg": "ES256"}}})
	r := res[0]
	if !r.OK || r.Format != "dc+sd-jwt" || r.VCT != identityVC {
		t.Fatalf("wallet: %+v", r)
	}

	// They verify what we issued, with every Disclosure.
	var verified []struct {
		OK     bool           `json:"ok"`
		Error  string         `json:"error"`
		Claims map[string]any `json:"claims"`
	}
	// It fetches the status list token from the test server.
	caEnv := []string{"NODE_EXTRA_CA_CERTS=" + e.Server.WriteCA(t, t.TempDir())}
	nodetest.RunJSON(t, sdjwtHarness, "interop.mjs", caEnv, []map[string]any{
		{"op": "verify", "sd": r.Credential, "issuerJwk": json.RawMessage(issuerJWK)},
	}, &verified)
	got := verified[0]
	if !got.OK || got.Claims["given_name"] != "Erika" || got.Claims["birthdate"] != "1964-08-12" || got.Claims["vct"] != identityVC {
		t.Fatalf("@sd-jwt/sd-jwt-vc verify: %+v", got)
	}
	if addr, _ := got.Claims["address"].(map[string]any); addr["locality"] != "Berlin" {
		t.Fatalf("@sd-jwt/sd-jwt-vc read address %v", got.Claims["address"])
	}

	// They present given_name only, bound to our nonce and audience; we verify it.
	const aud, nonce = "x509_san_dns:rp.example", "n-0S6_WzA2Mj"
	var presented []struct {
		SD    string `json:"sd"`
		Error string `json:"error"`
	}
	nodetest.RunJSON(t, sdjwtHarness, "interop.mjs", nil, []map[string]any{
		{"op": "present", "sd": r.Credential, "holderJwk": json.RawMessage(holderJWK), "frame": map[string]any{"given_name": true}, "aud": aud, "nonce": nonce},
	}, &presented)
	if presented[0].SD == "" {
		t.Fatalf("@sd-jwt/sd-jwt-vc present: %s", presented[0].Error)
	}
	v := e.verifier(time.Now).Verify(ctx, presented[0].SD, sdjwt.Options{RequireKeyBinding: true, Audience: aud, Nonce: nonce})
	if !v.Valid || v.KeyBinding == nil {
		t.Fatalf("our verifier: %s %s", v.Code, v.Detail)
	}
	var paths []string
	for _, p := range v.Disclosed {
		paths = append(paths, p.String())
	}
	if !slices.Equal(paths, []string{"given_name"}) || v.Claims["birthdate"] != nil {
		t.Fatalf("disclosed %v, claims %v", paths, v.Claims)
	}
}
