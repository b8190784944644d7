package ion

import (
	"context"
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"

	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/sidetree"
)

// Generations is an operation log that reads a DID's generation alone (both of the node's stores do):
// one small read that tells whether anything was stored or rolled back for the DID since.
type Generations interface {
	Generation(ctx context.Context, didSuffix string) (uint64, error)
}

// DefaultCachedAnswers bounds a Cached resolver's answers.
const DefaultCachedAnswers = 1024

// Cached is the node's did:ion resolver.Method: resolver.ION(r) with its answers remembered, so that a
// verifier checking many credentials of one issuer pays for the issuer's resolution (a long-form DID's
// initial state decoded and hashed, the document composed, serialized and parsed) once.
//
// It never serves a stale answer: every hit re-reads the DID's generation from the store, and the answer
// is served only while that is the generation read before it was computed. Anchoring the DID's create,
// an update, a recovery, a deactivation or a reorg's rollback each change the generation, so the next
// resolution sees them, on any replica sharing the store. No time-to-live is involved. Errors (not
// found, invalid, deactivated) are not remembered.
type Cached struct {
	r      *Resolver
	method resolver.Method
	gens   Generations // nil when r.Log cannot tell generations: nothing is remembered

	mu      sync.Mutex
	answers *simplelru.LRU[string, answer]
}

type answer struct {
	suffix     string
	generation uint64
	res        *resolver.Result
}

// NewCached returns r as a resolver.Method that remembers up to size answers (DefaultCachedAnswers
// when size ≤ 0). When r.Log does not implement Generations it resolves every time.
func NewCached(r *Resolver, size int) *Cached {
	if size <= 0 {
		size = DefaultCachedAnswers
	}
	c := &Cached{r: r, method: resolver.ION(r)}
	c.gens, _ = r.Log.(Generations)
	c.answers, _ = simplelru.NewLRU[string, answer](size, nil) // errors only for size ≤ 0
	return c
}

// Resolve resolves did, from memory when the DID's generation has not changed since.
func (c *Cached) Resolve(ctx context.Context, did string) (*resolver.Result, error) {
	if c.gens == nil {
		return c.method.Resolve(ctx, did)
	}
	c.mu.Lock()
	a, ok := c.answers.Get(did)
	c.mu.Unlock()
	if ok {
		if gen, err := c.gens.Generation(ctx, a.suffix); err == nil && gen == a.generation {
			return a.res, nil
		}
	}
	// The suffix and its generation are read before the answer is computed: an operation stored
	// meanwhile leaves the remembered generation behind the store's, so the answer is never served.
	parsed, err := sidetree.ParseDID(did, c.r.Network.Method, c.r.Network.Latest())
	if err != nil {
		return c.method.Resolve(ctx, did) // the method's invalidDid answer
	}
	gen, err := c.gens.Generation(ctx, parsed.Suffix)
	if err != nil {
		return c.method.Resolve(ctx, did)
	}
	res, err := c.method.Resolve(ctx, did)
	if err != nil {
		return res, err
	}
	c.mu.Lock()
	c.answers.Add(did, answer{suffix: parsed.Suffix, generation: gen, res: res})
	c.mu.Unlock()
	return res, nil
}
