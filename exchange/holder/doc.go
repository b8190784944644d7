// Package holder is the holder's side of the wallet exchanges, for the CLI and for Go programs that act
// as a wallet: it receives credentials from an OpenID4VCI 1.0 offer and answers an OpenID4VP 1.0
// presentation request with VP-JWTs.
//
// It reads an authorization request (openid4vp://?client_id=…&request_uri=…, or a bare request_uri),
// fetches the request object and refuses it unless it is a JWT of typ oauth-authz-req+jwt signed by a
// key of the verifier's DID (client_id "decentralized_identifier:<DID>", the key found through DID
// resolution), unexpired, asking for a DCQL query by direct_post. It then picks, for each credential
// query, a held VC-JWT whose types match, signs one VP-JWT per query for the client_id and nonce, and
// posts the vp_token to response_uri.
//
// For issuance it reads a credential offer (by value or by reference) with a pre-authorized code, the
// issuer's metadata and its authorization server's token endpoint, redeems the code (with the PIN as
// tx_code), and for each offered configuration proves possession of the holder's DID key with an
// openid4vci-proof+jwt (aud the issuer, the issuer's c_nonce) and receives the credential.
//
// Everything read from the network is bounded in size and depth before it is parsed.
package holder
