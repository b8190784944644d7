package web

import (
	"context"
	"log/slog"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/ionode/ionode/resolver"
)

// Resolver resolves did:web DIDs over a Client, caching documents as their Cache-Control allows. Create
// it with New; it is safe for concurrent use.
type Resolver struct {
	client *Client
	opts   Options
	cache  *cache[*resolver.Result]
	group  singleflight.Group
}

// Options tune a Resolver. Zero values take the defaults given.
type Options struct {
	// DefaultTTL applies when a response has no max-age; default 1 minute.
	DefaultTTL time.Duration
	// MaxTTL caps any max-age; default 1 hour.
	MaxTTL time.Duration
	// CacheSize bounds the number of cached documents; default 1,000.
	CacheSize int
	// Now is the clock; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// New returns a did:web resolver fetching with client (nil: a Client with default settings).
func New(client *Client, opts Options) *Resolver {
	if client == nil {
		client = &Client{}
	}
	if opts.DefaultTTL == 0 {
		opts.DefaultTTL = time.Minute
	}
	if opts.MaxTTL == 0 {
		opts.MaxTTL = time.Hour
	}
	if opts.CacheSize <= 0 {
		opts.CacheSize = 1000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Resolver{client: client, opts: opts, cache: newCache[*resolver.Result](opts.CacheSize)}
}

// Resolve fetches and checks a did:web document: the document's id must be the DID.
func (r *Resolver) Resolve(ctx context.Context, did string) (*resolver.Result, error) {
	docURL, err := DocumentURL(did)
	if err != nil {
		return nil, resolver.Errorf(resolver.CodeInvalidDID, "%w", err)
	}
	if res, ok := r.cache.get(did, r.opts.Now()); ok {
		return res, nil
	}
	// Concurrent resolutions of one DID share a fetch; the context of the first caller governs it.
	v, err, _ := r.group.Do(did, func() (any, error) { return r.fetch(ctx, did, docURL) })
	if err != nil {
		return nil, err
	}
	return v.(*resolver.Result), nil
}

// fetchError is what an anonymous client learns of a failed fetch: its message never carries the cause
// (a dial or DNS error names internal addresses and resolvers), which stays in Err and in the log. A
// host that cannot be reached or is refused by the Guard is notFound, like an HTTP 404: answering
// otherwise would tell an asker which internal names exist.
func fetchError(did string, err error) error {
	switch Classify(err) {
	case FailureNotFound, FailureForbidden, FailureUnreachable:
		return &resolver.Error{Code: resolver.CodeNotFound, Message: "no DID document found for " + did, Err: err}
	case FailureTooLarge:
		return &resolver.Error{Code: resolver.CodeInvalidDIDDocument, Message: "the DID document of " + did + " is too large", Err: err}
	}
	return &resolver.Error{Code: resolver.CodeInternal, Message: "the DID document of " + did + " could not be fetched", Err: err}
}

func (r *Resolver) fetch(ctx context.Context, did, docURL string) (*resolver.Result, error) {
	resp, err := r.client.Get(ctx, docURL, "application/did+json, application/did+ld+json, application/json")
	if err != nil {
		r.opts.Logger.WarnContext(ctx, "did:web fetch failed", "did", did, "url", docURL, "err", err)
		return nil, fetchError(did, err)
	}
	doc, err := resolver.ParseDocument(resp.Body)
	if err != nil {
		r.opts.Logger.WarnContext(ctx, "did:web document unreadable", "did", did, "url", docURL, "err", err)
		return nil, &resolver.Error{Code: resolver.CodeInvalidDIDDocument, Message: "the document at " + docURL + " is not a DID document", Err: err}
	}
	if doc.ID != did {
		return nil, resolver.Errorf(resolver.CodeInvalidDIDDocument, "the document at %s is not %s's (its id is another DID)", docURL, did)
	}
	res := &resolver.Result{Document: doc}
	if ttl := CacheTTL(resp.Header, r.opts.DefaultTTL, r.opts.MaxTTL); ttl > 0 {
		r.cache.put(did, res, r.opts.Now().Add(ttl))
	}
	return res, nil
}
