// Package credtest sets up issuers and holders for tests of the credential packages: a did:web server
// (webtest) publishing the DID documents of generated keys, did:key holders, did:ion long-form issuers
// resolved by the real did:ion resolver over an empty operation log, and a dispatcher resolving all of
// them with loopback allowed. Nothing here is faked: documents are served over HTTPS and resolved by the
// production resolvers.
package credtest
