// Package holder is the holder's side of the wallet exchanges, for the CLI and for Go programs that act
// as a wallet: it receives credentials from an OpenID4VCI 1.0 offer and answers an OpenID4VP 1.0
// presentation request with VP-JWTs.
//
// It reads an authorization request (openid4vp://?client_id=…&request_uri=…, or a bare request_uri),
// fetches the request object and refuses it unless it is a JWT of typ oauth-authz-req+jwt signed by a
// key of the verifier's DID (client_id "decentralized_identifier:<DID>", or in draft-era requests the
// bare DID with client_id_scheme "did"; the key found through DID resolution), unexpired, asking for a
// DCQL query or a DIF PE v2 presentation_definition, by direct_post or direct_post.jwt. For DCQL
// (exchange/dcql, the verifier's own rules) it finds, for each credential query, the held credentials
// that answer it: format, types or vct, claims and their values (a held SD-JWT VC with every Disclosure
// applied), and of claim_sets the first each satisfies. Of credential_sets it answers the first option
// (the verifier's order) it can meet in each set, optional sets when it can; without sets, every query.
// Several credentials for one query: the newest by iat (the first held among equals), one even when the
// query allows multiple, unless Choice.Use names credentials: they alone are candidates for the queries
// they answer (all of them with multiple), and options holding those queries come first. It signs one
// VP-JWT per chosen VC-JWT, and presents a chosen SD-JWT VC (credential/sdjwt) with only the
// Disclosures its claim set needs and a KB-JWT for the client_id and nonce;
// for a presentation definition it matches held VC-JWTs to input descriptors by their constraints, lets
// exchange/presex choose the fewest its submission_requirements need (Choice.Use's credentials are
// matched first, and one left out is an error), signs one VP-JWT of them and writes the
// presentation_submission. The response goes to response_uri as a form, or for
// direct_post.jwt as a JWE to the key of the request's client_metadata.jwks (exchange/jwe).
//
// For issuance it reads a credential offer (by value or by reference) with a pre-authorized code, the
// issuer's metadata and its authorization server's token endpoint, redeems the code (with the PIN as
// tx_code), and for each offered configuration proves possession of the holder's DID key with an
// openid4vci-proof+jwt (aud the issuer, the issuer's c_nonce) and receives the credential.
//
// Everything read from the network is bounded in size and depth before it is parsed.
package holder
