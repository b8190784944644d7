package oid4vp

import (
	"errors"

	"github.com/ionode/ionode/exchange/dcql"
)

// Failure codes of DCQL's combinations and values, beside CodeUnanswered and CodeClaimNotDisclosed.
const (
	// CodeCredentialSets: the presented credentials meet no option of a required credential set.
	CodeCredentialSets = "credential_sets_not_met"
	// CodeClaimSets: a presented credential satisfies none of its query's claim sets.
	CodeClaimSets = "claim_sets_not_met"
	// CodeClaimValue: a requested claim is there, with none of the values the request accepts.
	CodeClaimValue = "claim_value_mismatch"
	// CodeMultiple: several credentials answer a credential query that did not ask for multiple.
	CodeMultiple = "multiple_credentials_not_requested"
)

// checkClaims matches a verified credential's claims to q's claims (exchange/dcql: every claim, or
// the first claim set satisfied), and names the failure by its kind.
func checkClaims(q dcql.CredentialQuery, claims any) *WalletError {
	if len(q.Claims) == 0 {
		return nil
	}
	_, err := q.MatchClaims(claims)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, dcql.ErrClaimSets):
		return walletErr(CodeClaimSets, "%s: %v", q.ID, err)
	case errors.Is(err, dcql.ErrClaimValue):
		return walletErr(CodeClaimValue, "%s: %v", q.ID, err)
	}
	return walletErr(CodeClaimNotDisclosed, "%s: requested claim %v", q.ID, err)
}

// checkAnswered checks the credential queries answered against the query's credential sets; without
// sets, a missing credential is reported as before (credential_missing).
func checkAnswered(q *dcql.Query, answered map[string]bool) *WalletError {
	err := q.Check(func(id string) bool { return answered[id] })
	switch {
	case err == nil:
		return nil
	case q.CredentialSets == nil:
		return walletErr(CodeUnanswered, "%v", err)
	}
	return walletErr(CodeCredentialSets, "%v", err)
}
