// Package key resolves the two DID methods whose documents are computed from the DID itself: did:key
// (a multibase multicodec public key: Ed25519, secp256k1 or P-256) and did:jwk (a base64url JSON Web
// Key). No network, no state: resolution is a pure function, so there is nothing to cache.
//
// Both produce one verification method authorized for authentication, assertionMethod,
// capabilityInvocation and capabilityDelegation, as their specifications write them.
package key
