// Package dcql is the Digital Credentials Query Language of OpenID4VP 1.0 (§6): the one parser and
// evaluator of DCQL queries that the verifier (exchange/oid4vp) and the wallet (exchange/holder) share,
// so a wallet chooses its credentials by the rules the verifier checks them with.
//
// A Query lists credential queries (format, meta: W3C types or SD-JWT vct, claims by claims path
// pointer, optionally with values and claim_sets, and multiple) and optional credential_sets: each set
// lists options, each option the ids of credential queries that together answer it; a required set
// (the default) must have one option answered, an optional one may be left out. Parse bounds and checks
// a query from outside; CredentialQuery.MatchClaims finds the claim set a credential's claims answer
// (the first, in the query's order); Query.Check tells whether the answered credential queries satisfy
// the credential sets, and Query.Pick chooses for a wallet the first satisfiable option of each set.
//
// It is pure: no I/O, and work linear in the query (and, for claims, in the credential's claims).
package dcql
