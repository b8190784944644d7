// Package credential is ionode's verifier trust root for W3C Verifiable Credentials in JWT form.
//
// It issues and verifies VC-JWTs in two encodings: the VC Data Model 1.1 JWT encoding as Microsoft
// Entra Verified ID and did-jwt-vc write it (FormatJWT: typ JWT, the credential in the vc claim, with
// iss, sub, nbf, exp, jti, iat), and VC 2.0 application/vc+jwt (FormatVCJWT: typ vc+jwt, the credential
// as the payload). Keys are ES256K (secp256k1), EdDSA (Ed25519) or ES256 (P-256); the JWS header's kid is
// the DID URL of the signing verification method.
//
// Verification (Verifier.VerifyCredential) parses the JWS with go-jose (ES256K plugged in through its
// opaque signer/verifier interfaces, since go-jose has no secp256k1), resolves the kid's DID through a
// DIDResolver (resolver.Dispatcher), requires the kid's DID to be the issuer and the method to be in
// assertionMethod (a JWS without kid, as did-jwt-vc writes by default, is tried against each
// assertionMethod key of the alg's type), checks the alg against the key type and the signature, the agreement of JWT claims
// with the credential (iss/issuer, sub/credentialSubject.id, jti/id), the validity period with a
// clock skew, the credential's status (StatusChecker; see credential/status) and the issuer's trust
// (Policy; see credential/policy). Presentations (VP-JWT) are verified the same way with the holder's
// key in authentication, plus aud and nonce, and each credential inside in turn.
//
// Every verification returns a Result: a transaction id, each check performed and its outcome, and on
// failure a stable Code (invalid_jwt, unsupported_alg, unresolvable_issuer, key_not_authorized,
// invalid_signature, invalid_claims, not_yet_valid, expired, revoked, status_unavailable,
// untrusted_issuer, domain_not_linked, audience_mismatch, nonce_mismatch, holder_mismatch). The Verifier
// logs the same record with log/slog as its audit trail.
package credential
