package oid4vci

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/ionode/ionode/credential"
)

// BindingMethods are the holder key kinds a proof may use.
var BindingMethods = []string{"did:key", "did:jwk", "did:ion", "did:web", "jwk"}

// Metadata is the credential issuer metadata (/.well-known/openid-credential-issuer).
func (i *Issuer) Metadata() map[string]any {
	configs := make(map[string]any, len(i.Config.Configurations))
	for _, id := range slices.Sorted(maps.Keys(i.Config.Configurations)) {
		c := i.Config.Configurations[id]
		m := map[string]any{
			"format": c.Format,
			"cryptographic_binding_methods_supported": BindingMethods,
			"proof_types_supported": map[string]any{
				"jwt": map[string]any{"proof_signing_alg_values_supported": credential.Algorithms},
			},
		}
		if c.Scope != "" {
			m["scope"] = c.Scope
		}
		i.Formats[c.Format].Metadata(c, m)
		cm := map[string]any{}
		if len(c.Display) > 0 {
			cm["display"] = c.Display
		}
		if len(c.Claims) > 0 {
			cm["claims"] = c.Claims
		}
		if len(cm) > 0 {
			m["credential_metadata"] = cm
		}
		configs[id] = m
	}
	md := map[string]any{
		"credential_issuer":                   i.URL,
		"credential_endpoint":                 i.URL + PathCredential,
		"nonce_endpoint":                      i.URL + PathNonce,
		"credential_configurations_supported": configs,
	}
	if len(i.Config.Display) > 0 {
		md["display"] = i.Config.Display
	}
	return md
}

// AuthorizationServerMetadata is the OAuth 2.0 authorization server metadata (RFC 8414) of the issuer,
// which is its own authorization server for the pre-authorized code grant.
func (i *Issuer) AuthorizationServerMetadata() map[string]any {
	return map[string]any{
		"issuer":                                i.URL,
		"token_endpoint":                        i.URL + PathToken,
		"grant_types_supported":                 []string{GrantPreAuthorized},
		"token_endpoint_auth_methods_supported": []string{"none"},
		"pre-authorized_grant_anonymous_access_supported": true,
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v) // maps of plain values
	return b
}
