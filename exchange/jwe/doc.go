// Package jwe holds a verifier's per-request encryption key for OpenID4VP encrypted responses
// (response_mode direct_post.jwt, OpenID4VP 1.0 §8.3) and decrypts what wallets send to it.
//
// The verifier offers one ephemeral P-256 key per request in the request object's client_metadata.jwks
// (alg ECDH-ES, use enc) with the content encryptions it accepts (A128GCM, A256GCM). The private key
// travels in the stored request record, so that any replica sharing the store can decrypt the response.
// A wallet's JWE is bounded in size before go-jose parses it; only ECDH-ES with an offered enc, no
// compression and (when present) this key's kid are accepted.
package jwe
