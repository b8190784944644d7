// Package oid4vci is ionode's credential issuer for OpenID for Verifiable Credential Issuance 1.0 with
// the pre-authorized code flow:
//
//	GET  /.well-known/openid-credential-issuer    issuer metadata: credential_configurations_supported, display
//	GET  /.well-known/oauth-authorization-server  authorization server metadata (the issuer is its own AS)
//	GET  /oid4vci/offers/{id}                     a credential offer passed by reference (credential_offer_uri)
//	POST /oid4vci/token                           pre-authorized code (+ tx_code) → access token
//	POST /oid4vci/nonce                           a fresh c_nonce
//	POST /oid4vci/credential                      access token + proof of possession → credential
//
// The issuer's operator (or exchange/issuance, the Request Service API) calls Issuer.CreateOffer with the
// configurations to offer, the claims to put in the credential and an optional PIN (tx_code). The offer
// comes back by value and by reference as openid-credential-offer:// URIs for a QR code or deep link.
//
// Every code, token and nonce is single-use or bounded in time, and lives in the node's session store
// (Sessions; the Pebble and MongoDB stores), so replicas behind a load balancer share them. A wrong
// tx_code locks the code for a growing delay (slow_down) and MaxTxCodeAttempts wrong ones burn it.
//
// The credential endpoint takes one proof of type jwt (typ openid4vci-proof+jwt) whose key is named by a
// DID URL kid (did:key, did:jwk, did:ion, did:web: the method must be in the holder's authentication) or
// given as a bare jwk header (the holder is then did:jwk of that key; go-jose cannot read secp256k1 JWKs,
// so such a proof must use a kid). aud must be the credential issuer identifier, iat recent and nonce a
// live c_nonce from the nonce endpoint, consumed by the request. Credentials are bound to the holder
// (credentialSubject.id) and get a status-list entry when their configuration asks for one.
//
// Formats are pluggable (Format): jwt_vc_json (a W3C VC-JWT, VC Data Model 1.1 JWT encoding, signed by
// credential.Issuer) is built in; SDJWTVC issues dc+sd-jwt (IETF SD-JWT VC: disclosable claims from the
// configuration, decoys, cnf.kid or cnf.jwk from the proof, entries in a token status list).
//
// Errors are the OAuth and OpenID4VCI codes (Code) in {"error", "error_description"} bodies.
package oid4vci
