package sdjwt

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/web"
)

// Fetcher gets documents from outside (*web.Client: HTTPS only, SSRF-guarded, bounded in size and
// time). It fetches JWT VC issuer metadata, type metadata and status list tokens.
type Fetcher interface {
	Get(ctx context.Context, rawURL, accept string) (*web.Response, error)
}

// MetadataURL is where an https issuer publishes its JWT VC issuer metadata (SD-JWT VC Section 5): the
// well-known segment goes between the host and the issuer's path.
func MetadataURL(iss string) (string, error) {
	u, err := url.Parse(iss)
	if err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("issuer %q is not an https URL without query or fragment", credential.Truncate(iss))
	}
	return u.Scheme + "://" + u.Host + "/.well-known/jwt-vc-issuer" + strings.TrimRight(u.EscapedPath(), "/"), nil
}

// issuerMetadata is JWT VC issuer metadata: the issuer and its keys (inline; jwks_uri is followed once).
type issuerMetadata struct {
	Issuer  string `json:"issuer"`
	JWKS    *jwks  `json:"jwks"`
	JWKSURI string `json:"jwks_uri"`
}

type jwks struct {
	Keys []json.RawMessage `json:"keys"`
}

// metadataCache keeps issuer keys for the Cache-Control max-age of their metadata (at most an hour).
type metadataCache struct {
	mu      sync.Mutex
	entries map[string]metadataEntry
}

type metadataEntry struct {
	keys    []json.RawMessage
	expires time.Time
}

const maxMetadataCached = 256

// urlIssuerKey finds the key kid names in an https issuer's JWT VC issuer metadata. Without kid, the
// metadata must hold exactly one key.
func (v *Verifier) urlIssuerKey(ctx context.Context, iss, kid string) (crypto.PublicKey, error) {
	if v.Fetcher == nil {
		return nil, fail(credential.CodeUnresolvableIssuer, "issuer %s is a URL and no fetcher is configured", credential.Truncate(iss))
	}
	keys, err := v.issuerKeys(ctx, iss)
	if err != nil {
		return nil, err
	}
	var found []json.RawMessage
	for _, k := range keys {
		var id struct {
			Kid string `json:"kid"`
		}
		_ = json.Unmarshal(k, &id)
		if kid == "" || id.Kid == kid {
			found = append(found, k)
		}
	}
	if len(found) != 1 {
		return nil, fail(credential.CodeKeyNotAuthorized, "issuer metadata of %s has %d keys for kid %q", credential.Truncate(iss), len(found), credential.Truncate(kid))
	}
	pub, err := resolver.ParseJWK(found[0])
	if err != nil {
		return nil, fail(credential.CodeUnsupportedAlg, "issuer key %q: %w", credential.Truncate(kid), err)
	}
	return pub, nil
}

func (v *Verifier) issuerKeys(ctx context.Context, iss string) ([]json.RawMessage, error) {
	now := v.now()
	c := &v.metadata
	c.mu.Lock()
	if e, ok := c.entries[iss]; ok && now.Before(e.expires) {
		c.mu.Unlock()
		return e.keys, nil
	}
	c.mu.Unlock()
	mdURL, err := MetadataURL(iss)
	if err != nil {
		return nil, fail(credential.CodeUnresolvableIssuer, "%w", err)
	}
	resp, err := v.Fetcher.Get(ctx, mdURL, "application/json")
	if err != nil {
		return nil, fail(credential.CodeUnresolvableIssuer, "issuer metadata: %w", err)
	}
	var md issuerMetadata
	if err := decodeJSON(resp.Body, &md); err != nil {
		return nil, fail(credential.CodeUnresolvableIssuer, "issuer metadata of %s: %w", credential.Truncate(iss), err)
	}
	if md.Issuer != iss {
		return nil, fail(credential.CodeUnresolvableIssuer, "issuer metadata names issuer %q, not %q", credential.Truncate(md.Issuer), credential.Truncate(iss))
	}
	ttl := web.CacheTTL(resp.Header, 5*time.Minute, time.Hour)
	switch {
	case md.JWKS != nil && md.JWKSURI != "":
		return nil, fail(credential.CodeUnresolvableIssuer, "issuer metadata has both jwks and jwks_uri")
	case md.JWKS == nil && md.JWKSURI != "":
		r2, err := v.Fetcher.Get(ctx, md.JWKSURI, "application/json, application/jwk-set+json")
		if err != nil {
			return nil, fail(credential.CodeUnresolvableIssuer, "issuer jwks_uri: %w", err)
		}
		md.JWKS = &jwks{}
		if err := decodeJSON(r2.Body, md.JWKS); err != nil {
			return nil, fail(credential.CodeUnresolvableIssuer, "issuer jwks_uri: %w", err)
		}
		ttl = min(ttl, web.CacheTTL(r2.Header, 5*time.Minute, time.Hour))
	case md.JWKS == nil:
		return nil, fail(credential.CodeUnresolvableIssuer, "issuer metadata has no keys")
	}
	if len(md.JWKS.Keys) == 0 {
		return nil, fail(credential.CodeUnresolvableIssuer, "issuer metadata has no keys")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]metadataEntry{}
	}
	if len(c.entries) >= maxMetadataCached {
		for k, e := range c.entries {
			if !now.Before(e.expires) || len(c.entries) >= maxMetadataCached {
				delete(c.entries, k)
			}
		}
	}
	if ttl > 0 {
		c.entries[iss] = metadataEntry{keys: md.JWKS.Keys, expires: now.Add(ttl)}
	}
	return md.JWKS.Keys, nil
}
