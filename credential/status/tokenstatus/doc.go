// Package tokenstatus implements the IETF Token Status List (draft-ietf-oauth-status-list) for SD-JWT
// VCs: a status list token (JWT, typ statuslist+jwt) holding a ZLIB-compressed array of 1, 2, 4 or 8
// bit statuses (VALID 0, INVALID 1, SUSPENDED 2), which credentials reference as
// status.status_list {idx, uri}.
//
// Issuer side: the node keeps token lists in the same status.Store as its W3C lists, hands out indexes
// and sets bits with the same status.Manager (so `ionode vc revoke` and the admin route serve both);
// Signer renders a revocation list as 1-bit INVALID values and a suspension list as 2-bit SUSPENDED
// values, and the Manager's Handler publishes the token at the list's stable URL as
// application/statuslist+jwt.
//
// Verifier side: Checker implements sdjwt.StatusChecker. It fetches the token with the SSRF-guarded
// client, requires its sub to be the referenced uri and its iss the credential's issuer, verifies it with
// the issuer's key, refuses it after exp (status_list_expired), and caches it for its ttl, never past
// exp.
package tokenstatus
