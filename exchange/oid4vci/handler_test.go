package oid4vci_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ionode/ionode/exchange/oid4vci"
)

func TestHandler(t *testing.T) {
	e := newEnv(t, true)
	base := e.Server.Origin()
	o := e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{employee}, PIN: "1234"})
	offerURI, _ := url.QueryUnescape(strings.TrimPrefix(o.ByReference, oid4vci.OfferScheme+"?credential_offer_uri="))
	form := func(v url.Values) func() (*http.Response, error) {
		return func() (*http.Response, error) { return e.HTTP.PostForm(base+oid4vci.PathToken, v) }
	}
	tests := []struct {
		name   string
		do     func() (*http.Response, error)
		status int
		check  func(t *testing.T, body map[string]any, h http.Header)
	}{
		{"issuer metadata", func() (*http.Response, error) { return e.HTTP.Get(base + oid4vci.PathIssuerMetadata) }, 200, func(t *testing.T, b map[string]any, _ http.Header) {
			cfg := b["credential_configurations_supported"].(map[string]any)[employee].(map[string]any)
			def := cfg["credential_definition"].(map[string]any)["type"].([]any)
			disp := cfg["credential_metadata"].(map[string]any)["display"].([]any)[0].(map[string]any)
			if b["credential_issuer"] != base || b["nonce_endpoint"] != base+oid4vci.PathNonce || cfg["format"] != "jwt_vc_json" ||
				def[1] != "VerifiedEmployee" || disp["name"] != "Verified Employee" || disp["background_color"] != "#000000" ||
				disp["logo"].(map[string]any)["uri"] != "https://contoso.example/card.png" {
				t.Fatalf("metadata %v", b)
			}
		}},
		{"authorization server metadata", func() (*http.Response, error) { return e.HTTP.Get(base + oid4vci.PathASMetadata) }, 200, func(t *testing.T, b map[string]any, _ http.Header) {
			if b["issuer"] != base || b["token_endpoint"] != base+oid4vci.PathToken || b["pre-authorized_grant_anonymous_access_supported"] != true {
				t.Fatalf("metadata %v", b)
			}
		}},
		{"offer by reference", func() (*http.Response, error) { return e.HTTP.Get(offerURI) }, 200, func(t *testing.T, b map[string]any, _ http.Header) {
			if b["credential_issuer"] != base || b["grants"].(map[string]any)[oid4vci.GrantPreAuthorized].(map[string]any)["tx_code"] == nil {
				t.Fatalf("offer %v", b)
			}
		}},
		{"unknown offer", func() (*http.Response, error) { return e.HTTP.Get(base + oid4vci.PathOffers + "nope") }, 404, nil},
		{"token: wrong tx_code", form(tokenForm(preAuthCode(t, o), "9999")), 400, errorIs(oid4vci.CodeInvalidGrant)},
		{"token: locked", form(tokenForm(preAuthCode(t, o), "1234")), 429, errorIs(oid4vci.CodeSlowDown)},
		{"token: JSON body", func() (*http.Response, error) {
			return e.HTTP.Post(base+oid4vci.PathToken, "application/json", strings.NewReader(`{}`))
		}, 400, errorIs(oid4vci.CodeInvalidRequest)},
		{"token: repeated parameter", form(url.Values{"grant_type": {oid4vci.GrantPreAuthorized}, "pre-authorized_code": {"a", "b"}}), 400, errorIs(oid4vci.CodeInvalidRequest)},
		{"nonce", func() (*http.Response, error) { return e.HTTP.Post(base+oid4vci.PathNonce, "", nil) }, 200, func(t *testing.T, b map[string]any, h http.Header) {
			if n, _ := b["c_nonce"].(string); len(n) < 32 || h.Get("Cache-Control") != "no-store" {
				t.Fatalf("nonce %v %v", b, h)
			}
		}},
		{"credential without token", func() (*http.Response, error) {
			return e.HTTP.Post(base+oid4vci.PathCredential, "application/json", strings.NewReader(`{}`))
		}, 401, func(t *testing.T, b map[string]any, h http.Header) {
			if b["error"] != string(oid4vci.CodeInvalidToken) || !strings.Contains(h.Get("WWW-Authenticate"), "invalid_token") {
				t.Fatalf("%v %v", b, h)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tt.do()
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			data, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, data)
			}
			if tt.check == nil {
				return
			}
			var b map[string]any
			if err := json.Unmarshal(data, &b); err != nil {
				t.Fatalf("%s: %v", data, err)
			}
			tt.check(t, b, resp.Header)
		})
	}
}

func errorIs(code oid4vci.Code) func(t *testing.T, b map[string]any, _ http.Header) {
	return func(t *testing.T, b map[string]any, _ http.Header) {
		t.Helper()
		if b["error"] != string(code) || b["error_description"] == "" {
			t.Fatalf("body %v, want error %s", b, code)
		}
	}
}
