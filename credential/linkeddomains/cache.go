package linkeddomains

import (
	"context"
	"sync"
	"time"

	"github.com/ionode/ionode/resolver"
)

// DefaultCacheTTL is how long a Cache remembers a verdict by default.
const DefaultCacheTTL = 10 * time.Minute

// maxCached bounds a Cache; past it the cache starts over.
const maxCached = 4096

// Cache remembers Verifier's verdicts (linked or not) per DID and origin for TTL, so that an origin's
// DID configuration is fetched once per TTL rather than once per credential verified. The trust policy
// and the presentation verifier both check links through one.
type Cache struct {
	Verifier *Verifier
	TTL      time.Duration    // default DefaultCacheTTL
	Now      func() time.Time // default time.Now

	mu    sync.Mutex
	links map[string]verdict
}

type verdict struct {
	err     error
	expires time.Time
}

// Verify is Verifier.Verify, remembered.
func (c *Cache) Verify(ctx context.Context, did *resolver.Result, origin string) error {
	key := did.Document.ID + " " + origin
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	c.mu.Lock()
	if v, ok := c.links[key]; ok && now.Before(v.expires) {
		c.mu.Unlock()
		return v.err
	}
	c.mu.Unlock()
	err := c.Verifier.Verify(ctx, did, origin)
	ttl := c.TTL
	if ttl <= 0 {
		ttl = DefaultCacheTTL
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.links == nil || len(c.links) >= maxCached {
		c.links = map[string]verdict{}
	}
	c.links[key] = verdict{err: err, expires: now.Add(ttl)}
	return err
}
