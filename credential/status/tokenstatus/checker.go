package tokenstatus

import (
	"bytes"
	"context"
	"crypto"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
)

// IssuerKeys finds an issuer's signing key (*sdjwt.Verifier: the DID's assertionMethod, or JWT VC
// issuer metadata).
type IssuerKeys interface {
	IssuerKey(ctx context.Context, iss, kid string) (crypto.PublicKey, error)
}

// Checker is the verifier side (sdjwt.StatusChecker): it fetches the status list token at the
// credential's uri with the SSRF-guarded client, requires its sub to be that uri and its iss (when
// given) the credential's issuer, verifies its signature with the credential issuer's key, refuses it
// after exp, and reads the entry. A token is cached for its ttl (DefaultTTL when it gives none, never
// beyond MaxTTL) and never past its exp.
type Checker struct {
	Fetcher    sdjwt.Fetcher
	Keys       IssuerKeys
	DefaultTTL time.Duration // default 5 minutes
	MaxTTL     time.Duration // default 1 hour
	MaxCached  int           // default 256 lists
	Now        func() time.Time

	mu    sync.Mutex
	cache map[string]cachedToken
	group singleflight.Group
	// fetches counts fetches (for the caching tests).
	fetches int
}

type cachedToken struct {
	issuer  string
	list    *List
	exp     *time.Time
	expires time.Time
}

func (c *Checker) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// CheckStatusList implements sdjwt.StatusChecker.
func (c *Checker) CheckStatusList(ctx context.Context, issuer string, ref sdjwt.StatusListRef) error {
	if ref.Index < 0 || ref.URI == "" {
		return unavailable("status_list needs idx and uri")
	}
	t, err := c.token(ctx, issuer, ref.URI)
	if err != nil {
		return err
	}
	if t.exp != nil && !c.now().Before(*t.exp) {
		return credential.NewFailure(sdjwt.CodeStatusListExpired, "status list %s expired at %s", credential.Truncate(ref.URI), t.exp.Format(time.RFC3339))
	}
	v, err := t.list.Get(ref.Index)
	if err != nil {
		return unavailable("%v", err)
	}
	switch v {
	case Valid:
		return nil
	case Invalid:
		return credential.NewFailure(credential.CodeRevoked, "entry %d of %s is INVALID", ref.Index, credential.Truncate(ref.URI))
	case Suspended:
		return credential.NewFailure(sdjwt.CodeSuspended, "entry %d of %s is SUSPENDED", ref.Index, credential.Truncate(ref.URI))
	}
	return unavailable("entry %d of %s has the application-specific status 0x%02x", ref.Index, credential.Truncate(ref.URI), v)
}

func (c *Checker) token(ctx context.Context, issuer, uri string) (*cachedToken, error) {
	c.mu.Lock()
	if t, ok := c.cache[uri]; ok && c.now().Before(t.expires) && t.issuer == issuer {
		c.mu.Unlock()
		return &t, nil
	}
	c.mu.Unlock()
	v, err, _ := c.group.Do(issuer+" "+uri, func() (any, error) { return c.fetch(ctx, issuer, uri) })
	if err != nil {
		return nil, err
	}
	return v.(*cachedToken), nil
}

func (c *Checker) fetch(ctx context.Context, issuer, uri string) (*cachedToken, error) {
	if c.Fetcher == nil || c.Keys == nil {
		return nil, unavailable("status list checker not configured")
	}
	resp, err := c.Fetcher.Get(ctx, uri, ContentType)
	if err != nil {
		return nil, unavailable("fetch status list: %w", err)
	}
	c.mu.Lock()
	c.fetches++
	c.mu.Unlock()
	t, err := ParseToken(string(bytes.TrimSpace(resp.Body)))
	if err != nil {
		return nil, err
	}
	switch {
	case t.Sub != uri:
		return nil, unavailable("status list token sub %q is not its uri %q", credential.Truncate(t.Sub), credential.Truncate(uri))
	case t.Iss != "" && t.Iss != issuer:
		return nil, unavailable("status list token issued by %s, not by the credential's issuer %s", credential.Truncate(t.Iss), credential.Truncate(issuer))
	}
	pub, err := c.Keys.IssuerKey(ctx, issuer, t.JWS.Header().Kid)
	if err != nil {
		return nil, unavailable("status list token key: %w", err)
	}
	if err := t.JWS.Verify(pub); err != nil {
		return nil, unavailable("status list token signature: %w", err)
	}
	now := c.now()
	ttl := c.DefaultTTL
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	if t.TTL > 0 {
		ttl = t.TTL
	}
	maxTTL := c.MaxTTL
	if maxTTL <= 0 {
		maxTTL = time.Hour
	}
	ct := &cachedToken{issuer: issuer, list: t.List, exp: t.Exp, expires: now.Add(min(ttl, maxTTL))}
	if t.Exp != nil && t.Exp.Before(ct.expires) {
		ct.expires = *t.Exp
	}
	c.store(uri, ct, now)
	return ct, nil
}

func (c *Checker) store(uri string, t *cachedToken, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cache == nil {
		c.cache = map[string]cachedToken{}
	}
	limit := c.MaxCached
	if limit <= 0 {
		limit = 256
	}
	for k, old := range c.cache {
		if len(c.cache) < limit {
			break
		}
		if !now.Before(old.expires) || len(c.cache) >= limit {
			delete(c.cache, k)
		}
	}
	c.cache[uri] = *t
}
