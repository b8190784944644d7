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

// docCache keeps fetched issuer and type metadata for their Cache-Control max-age (default 5 minutes,
// at most an hour), so that verifications do not fetch them each time.
type docCache struct {
	mu      sync.Mutex
	entries map[string]cachedDoc
}

type cachedDoc struct {
	body    []byte
	expires time.Time
}

const maxDocsCached = 256

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

// get fetches a document through the cache.
func (v *Verifier) get(ctx context.Context, rawURL, accept string) ([]byte, error) {
	now := v.now()
	c := &v.docs
	c.mu.Lock()
	if e, ok := c.entries[rawURL]; ok && now.Before(e.expires) {
		c.mu.Unlock()
		return e.body, nil
	}
	c.mu.Unlock()
	resp, err := v.Fetcher.Get(ctx, rawURL, accept)
	if err != nil {
		return nil, err
	}
	ttl := web.CacheTTL(resp.Header, 5*time.Minute, time.Hour)
	if ttl <= 0 {
		return resp.Body, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]cachedDoc{}
	}
	for k, e := range c.entries {
		if len(c.entries) < maxDocsCached {
			break
		}
		if !now.Before(e.expires) || len(c.entries) >= maxDocsCached {
			delete(c.entries, k)
		}
	}
	c.entries[rawURL] = cachedDoc{body: resp.Body, expires: now.Add(ttl)}
	return resp.Body, nil
}

func (v *Verifier) issuerKeys(ctx context.Context, iss string) ([]json.RawMessage, error) {
	mdURL, err := MetadataURL(iss)
	if err != nil {
		return nil, fail(credential.CodeUnresolvableIssuer, "%w", err)
	}
	body, err := v.get(ctx, mdURL, "application/json")
	if err != nil {
		return nil, fail(credential.CodeUnresolvableIssuer, "issuer metadata: %w", err)
	}
	var md issuerMetadata
	if err := decodeJSON(body, &md); err != nil {
		return nil, fail(credential.CodeUnresolvableIssuer, "issuer metadata of %s: %w", credential.Truncate(iss), err)
	}
	if md.Issuer != iss {
		return nil, fail(credential.CodeUnresolvableIssuer, "issuer metadata names issuer %q, not %q", credential.Truncate(md.Issuer), credential.Truncate(iss))
	}
	switch {
	case md.JWKS != nil && md.JWKSURI != "":
		return nil, fail(credential.CodeUnresolvableIssuer, "issuer metadata has both jwks and jwks_uri")
	case md.JWKS == nil && md.JWKSURI != "":
		body, err := v.get(ctx, md.JWKSURI, "application/json, application/jwk-set+json")
		if err != nil {
			return nil, fail(credential.CodeUnresolvableIssuer, "issuer jwks_uri: %w", err)
		}
		md.JWKS = &jwks{}
		if err := decodeJSON(body, md.JWKS); err != nil {
			return nil, fail(credential.CodeUnresolvableIssuer, "issuer jwks_uri: %w", err)
		}
	}
	if md.JWKS == nil || len(md.JWKS.Keys) == 0 {
		return nil, fail(credential.CodeUnresolvableIssuer, "issuer metadata has no keys")
	}
	return md.JWKS.Keys, nil
}
