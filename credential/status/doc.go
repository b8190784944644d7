// Package status implements credential revocation with W3C status lists: Status List 2021 (VC 1.1,
// StatusList2021Entry) and Bitstring Status List v1.0 (VC 2.0, BitstringStatusListEntry). The same
// Store and Manager keep the IETF Token Status Lists of SD-JWT VCs (kind TokenStatusList), which
// credential/status/tokenstatus signs and checks.
//
// Issuer side: a Manager keeps lists in a Store (FileStore: one JSON file per list, replaced by atomic
// rename), hands out random unused indexes as credentialStatus entries, sets and clears bits, and signs
// each list as a status list credential (GZIP of a bitstring of at least 131,072 entries, base64url;
// with the multibase "u" prefix for Bitstring Status List) that its Handler publishes at a stable URL.
//
// Verifier side: a Checker implements credential.StatusChecker. It fetches the list credential with the
// SSRF-safe web.Client, verifies it like any credential (the signing key must be in the issuer's
// assertionMethod), requires the list's issuer to be the credential's issuer and its purpose to be the
// entry's, reads the bit, and caches the decoded list for a TTL.
package status
