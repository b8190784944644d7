// Package sdjwt issues, presents and verifies Selective Disclosure JWTs (RFC 9901) in the SD-JWT VC
// profile (IETF draft-ietf-oauth-sd-jwt-vc: typ dc+sd-jwt, vct, cnf, status).
//
// Issuer.Issue replaces the claims chosen as disclosable (top level or nested, object members or array
// elements, recursively) by salted SHA-256 digests, adds decoy digests unless told not to, binds the
// credential to the holder's key (cnf.jwk) or DID URL (cnf.kid), and signs with a credential.Signer.
// Present keeps the Disclosures of the chosen claims (and those on the way to them) and appends a
// KB-JWT over nonce, aud, iat and sd_hash.
//
// Verifier.Verify checks everything a verifier must (RFC 9901 Section 7): the typ; the issuer's
// signature with the key its iss names, through the DID resolver (did:ion, did:web, did:key, did:jwk;
// the key in assertionMethod) or, for an https issuer, through its JWT VC issuer metadata at
// /.well-known/jwt-vc-issuer fetched with the SSRF-guarded client; _sd_alg (sha-256 only); every
// Disclosure's digest, no digest twice, no Disclosure unused; validity (iat, nbf, exp); the KB-JWT
// (typ kb+jwt, the cnf key, iat window, aud, nonce, sd_hash); vct and its type metadata where it is
// published; the status list entry (StatusChecker, see credential/status/tokenstatus); and the trust
// policy. It returns a Result with the processed claims, the paths of the disclosed ones, each check,
// and on failure a stable code (see codes.go and the credential package's). The audit record it logs
// keeps the transaction id, issuer, vct, outcome and checks, and no claim.
//
// Parsing is bounded (MaxLength, MaxDisclosures, MaxDepth) and linear: each Disclosure is decoded once
// and each digest looked up once.
package sdjwt
