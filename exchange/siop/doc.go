// Package siop verifies Self-Issued OpenID Provider v2 ID Tokens: the id_token a wallet returns beside
// (or instead of) a vp_token when an OpenID4VP request has response_type "vp_token id_token" or
// "id_token".
//
// A self-issued ID Token names the holder by a DID: iss and sub are the same DID, and the JWS is signed
// by a key of that DID's authentication relationship, found through the node's DID resolver (the kid
// names the verification method). aud must be the verifier's client_id, nonce the request's nonce, and
// exp and iat bound its life. Every refusal carries a stable Code.
package siop
