// Package web resolves did:web DIDs and provides the outgoing HTTP client every part of the verifier
// uses to fetch from the internet (did:web documents, status list credentials, DID configurations).
//
// The client (Client) is HTTPS only (plain HTTP only to loopback hosts with AllowHTTPLoopback), bounds
// response size and total time, follows at most a few redirects and checks each one's URL again, ignores
// proxy settings, and checks every connection's address with a Guard at dial time, after name
// resolution, in the dialer's Control hook: loopback, private, link-local, CGNAT, multicast,
// unspecified, reserved and cloud metadata addresses are refused unless explicitly allowed, so neither a
// name pointing at an internal address nor DNS rebinding gets through.
//
// The resolver (Resolver) maps a DID to its document URL as the did:web specification says
// (did:web:example.com → https://example.com/.well-known/did.json; did:web:example.com%3A8443:user:alice
// → https://example.com:8443/user/alice/did.json), requires the document's id to equal the DID, and
// caches documents for their Cache-Control max-age (capped by MaxTTL) in a bounded LRU cache.
package web
