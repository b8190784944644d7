// Package methods assembles the DID methods ionode resolves into one resolver.Dispatcher: did:ion
// (from a node's store, a remote node through package client, or long-form only with
// ion.LongFormOnly), did:web over the SSRF-guarded HTTPS client, did:key and did:jwk computed locally.
// The node, the CLI and a program embedding ionode build their resolver here, so they resolve alike.
package methods

import (
	"log/slog"

	"github.com/ionode/ionode/client"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/resolver/key"
	"github.com/ionode/ionode/resolver/web"
)

// New returns a dispatcher for did:ion through didION (an *ion.Resolver over a store with generations
// remembers its answers in a new ion.Answers; an *ion.Answers serves from its own), did:web through didWeb (nil: web.New with a
// default Client: HTTPS only, no loopback, private or link-local address), did:key and did:jwk.
// logger may be nil.
func New(didION resolver.IONResolver, didWeb *web.Resolver, logger *slog.Logger) *resolver.Dispatcher {
	if didWeb == nil {
		didWeb = web.New(nil, web.Options{})
	}
	ionMethod := resolver.ION(didION)
	switch r := didION.(type) {
	case *ion.Answers: // the node's one answer cache, shared with GET /identifiers
		ionMethod = r.Method()
	case *ion.Resolver:
		// A node's own store: answers are remembered while the DID's generation stands (ion.Answers).
		ionMethod = ion.NewAnswers(r, 0).Method()
	}
	return &resolver.Dispatcher{Methods: map[string]resolver.Method{
		"ion": ionMethod,
		"web": didWeb,
		"key": key.Key{},
		"jwk": key.JWK{},
	}, Logger: logger}
}

// ION is did:ion for a program without a node of its own: through the ION node at nodeURL (any ION
// node: the routes are the same), or when nodeURL is "" from long-form DIDs only (ion.LongFormOnly:
// their initial state, with no node to say whether they changed since).
func ION(nodeURL string) (resolver.IONResolver, error) {
	if nodeURL == "" {
		return ion.LongFormOnly{}, nil
	}
	return client.New(nodeURL)
}
