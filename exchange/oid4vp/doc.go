// Package oid4vp is the node's OpenID for Verifiable Presentations 1.0 verifier behind the Request
// Service API's createPresentationRequest.
//
// A relying party creates a request (admin token); the node stores it (exchange.Requests), and answers
// an openid4vp:// URL and QR code. The wallet fetches the request object at request_uri: a JWT of typ
// oauth-authz-req+jwt signed by the node's verifier DID key, with client_id
// "decentralized_identifier:<DID>", response_mode direct_post, a fresh nonce and a DCQL query built
// from the requested credentials (jwt_vc_json, meta.type_values). The wallet posts vp_token (a JSON
// object from credential query id to VP-JWTs) to response_uri. Each VP is verified by the credential
// package (holder signature through DID resolution, audience = client_id, nonce, expiry, each VC's
// issuer signature, status list, trust policy, holder binding), then matched to the query: types and
// acceptedIssuers. The outcome goes to the relying party's callback and the status route.
//
// A relying party that sets ionode.query to "presentation_definition" (ionode's
// extension of the body) gets a draft-era request instead, for wallets built on the drafts: client_id is
// the bare DID with client_id_scheme "did", the credentials are asked for with a DIF Presentation
// Exchange v2 presentation_definition, and the wallet's presentation_submission is followed by
// exchange/presex to the presentations, which are verified as above.
//
// SD-JWT VCs are requested through an extension of the Request Service API (requestedCredentials[].format
// "dc+sd-jwt" and .claims, DCQL claims path pointers): the credential query carries meta.vct_values and
// claims; the vp_token entry is an SD-JWT+KB verified by credential/sdjwt (KB-JWT nonce = the request's,
// aud = client_id), then matched to the vct, acceptedIssuers and every requested claim (ClaimsPath.Select;
// a missing one fails with claim_not_disclosed). The callback names the claims shown and the paths disclosed.
//
// DCQL's combinations come through the same extension (exchange/dcql evaluates them, as the Go wallet
// does): requestedCredentials[].id names a credential query, .multiple allows several credentials for
// it, .claims[].values restricts a claim's values and .claimSets lists alternative claim combinations
// (the first the credential satisfies is checked), for SD-JWT VCs and VC-JWTs alike (a VC-JWT's paths
// start at the credential: ["credentialSubject", …]); ionode.credentialSets lists DCQL credential_sets.
// An answer meeting no option of a required set fails with credential_sets_not_met (without sets, a
// missing credential with credential_missing); claim_sets_not_met, claim_value_mismatch and
// multiple_credentials_not_requested name the other failures. The query is checked when it is created.
//
// A request is single use: the response moves it retrieved → verified or error by compare-and-swap, so
// a replayed or concurrent second response is refused, as is a request_uri fetched after the response
// and anything after expiry. Wallet input is bounded (MaxResponseBytes, MaxPresentations) before it is
// parsed.
//
// # Extensions
//
// The createPresentationRequest body may carry "ionode": {"responseMode", "responseType"}, fields the
// hosted service has no counterpart for. responseMode "direct_post.jwt" makes the wallet encrypt its
// response (OpenID4VP 1.0 §8.3) to a P-256 key made for this request (exchange/jwe), offered in the
// request object's client_metadata.jwks and kept in the request record so that every replica can
// decrypt. responseType "vp_token id_token" or "id_token" asks for a SIOPv2 self-issued ID Token
// (exchange/siop), whose DID becomes the callback's subject; with presentations it must be their holder.
//
// # Linked domains
//
// With Links set, each verified credential's issuer is checked for a DID-configuration link to an
// origin its DID document names; a verified one is reported as domainValidation. A requested
// credential with configuration.validation.validateLinkedDomain is refused (domain_not_linked) when its
// issuer has none.
package oid4vp
