// Package resolver is the DID resolution front of ionode: one Dispatcher that sends a DID to the resolver
// of its method (did:ion from the node's log, did:web over SSRF-safe HTTPS, did:key and did:jwk computed
// locally), one Result type for all of them, and the document helpers a verifier needs: finding a
// verification method by DID URL, checking that it is authorized for a verification relationship
// (assertionMethod, authentication), and turning its key material (publicKeyJwk, publicKeyMultibase,
// publicKeyBase58) into a Go public key.
//
// Resolution failures are *Error values whose Code is one of the W3C DID Resolution error codes
// (invalidDid, notFound, methodNotSupported) or deactivated; match them with errors.Is against the
// Err... sentinels. A deactivated DID still comes with its Result, but the error makes callers that only
// look at the error fail closed.
//
// Method resolvers live in subpackages (resolver/ion, resolver/web, resolver/key) and implement Method;
// this package imports none of them, so they can share its types.
package resolver
