package main

import (
	"strings"
	"testing"
	"time"
)

// The credential settings of `ionode serve` bind like every other: flag, ION_ variable, defaults.
func TestServeCredentialSettings(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	c, err := parseServe(t, []string{"--bitcoin-rpc", "x:1", "--bitcoin-user", "u", "--bitcoin-password", "p", "--did-web-allow-loopback", "--issuer-kid", "did:web:example.com#key-1"},
		map[string]string{"ION_ADMIN_TOKEN_HASH": hash, "ION_ISSUER_KEY_FILE": "/k.jwk", "ION_DID_WEB_MAX_TTL": "10m",
			"ION_PUBLIC_URL": "https://node.example.com", "ION_STATUS_CACHE_TTL": "30s", "ION_TRUST_POLICY_FILE": "/p.json"}, "")
	if err != nil {
		t.Fatal(err)
	}
	cc := c.Credentials
	if !cc.WebAllowLoopback || cc.WebAllowPrivate || cc.WebMaxTTL != 10*time.Minute || len(cc.AdminTokenHashes) != 1 ||
		cc.AdminTokenHashes[0] != hash || cc.IssuerKeyFile != "/k.jwk" || cc.IssuerKID != "did:web:example.com#key-1" ||
		cc.PublicURL != "https://node.example.com" || cc.TrustPolicyFile != "/p.json" || cc.StatusList != "revocation" ||
		cc.StatusListKind != "StatusList2021" || cc.StatusCacheTTL != 30*time.Second {
		t.Fatalf("settings: %+v", cc)
	}
	if _, err := c.Validate(); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--admin-token-hash", "secret"}, "--admin-token-hash"},
		{[]string{"--admin-token-hash", strings.Repeat("zz", 32)}, "--admin-token-hash"},
		{[]string{"--admin-token-hash", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"}, "--admin-token-hash: token hash \"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\": it is the SHA-256 of an empty token"},
		{[]string{"--issuer-key-file", "k.jwk"}, "go together"},
		{[]string{"--issuer-key-file", "k.jwk", "--issuer-kid", "did:web:example.com"}, "fragment"},
		{[]string{"--verifier-kid", "did:web:example.com#key-1"}, "go together"},
		{[]string{"--verifier-key-file", "v.jwk", "--verifier-kid", "did:web:example.com"}, "--verifier-kid"},
		{[]string{"--public-url", "ftp://x"}, "--public-url"},
		{[]string{"--status-list", "a/b"}, "--status-list"},
		{[]string{"--status-list-kind", "CRL"}, "--status-list-kind"},
		{[]string{"--oid4vci-config-file", "offers.json"}, "--oid4vci-config-file needs the issuer key"},
		{[]string{"--did-web-max-ttl", "-1s"}, "--did-web-max-ttl"},
		{[]string{"--status-cache-ttl", "0s"}, "--status-cache-ttl"},
	}
	for _, tc := range tests {
		c, err := parseServe(t, append([]string{"--bitcoin-rpc", "x:1"}, tc.args...), nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
}
