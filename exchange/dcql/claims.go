package dcql

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// Errors of MatchClaims, matched with errors.Is: the verifier reports each with its own code.
var (
	// ErrClaimMissing: a claim the query asks for is not in the credential.
	ErrClaimMissing = errors.New("claim not present")
	// ErrClaimValue: a claim is there, but with none of the values the query accepts.
	ErrClaimValue = errors.New("claim value not accepted")
	// ErrClaimSets: no claim set of the query is answered by the credential.
	ErrClaimSets = errors.New("no claim set is satisfied")
)

// ClaimsMatch is what a credential answers a credential query with.
type ClaimsMatch struct {
	// Claims are the claims queries answered: every claim of a query without claim_sets, or those of
	// the chosen claim set (what a wallet discloses). Nil when the query names no claims.
	Claims []ClaimsQuery
	// ClaimSet is the index of the chosen claim set, -1 without claim_sets.
	ClaimSet int
}

// MatchClaims finds what claims (decoded JSON: the VC's JSON, or an SD-JWT VC's processed payload)
// answer q with: without claim_sets, every claim must be present (with one of its values, when it lists
// values); with claim_sets, the first claim set (in the query's order, the verifier's preference) all
// of whose claims are present is chosen (OpenID4VP 1.0 §6.4.1). Each claim is evaluated at most once,
// so the work is linear in the claims queries and the claim sets, times the claims path's selection.
func (q *CredentialQuery) MatchClaims(claims any) (ClaimsMatch, error) {
	m, _, err := q.matchClaims(claims)
	return m, err
}

func (q *CredentialQuery) matchClaims(claims any) (ClaimsMatch, int, error) {
	steps := 0
	if len(q.ClaimSets) == 0 {
		for _, c := range q.Claims {
			n, err := c.match(claims)
			steps += n
			if err != nil {
				return ClaimsMatch{ClaimSet: -1}, steps, err
			}
		}
		return ClaimsMatch{Claims: q.Claims, ClaimSet: -1}, steps, nil
	}
	// Claim ids map to their index; each claim's outcome is remembered (nil error = answered).
	index := make(map[string]int, len(q.Claims))
	for i, c := range q.Claims {
		index[c.ID] = i
	}
	outcome := make([]error, len(q.Claims))
	done := make([]bool, len(q.Claims))
	var firstErr error
	for s, set := range q.ClaimSets {
		ok := true
		for _, id := range set {
			steps++
			i, known := index[id]
			if !known {
				return ClaimsMatch{ClaimSet: -1}, steps, fmt.Errorf("%w: claim set %d names %q, which is not a claim of the query", ErrClaimSets, s, truncate(id))
			}
			if !done[i] {
				n, err := q.Claims[i].match(claims)
				steps += n
				outcome[i], done[i] = err, true
			}
			if outcome[i] != nil {
				if firstErr == nil {
					firstErr = outcome[i]
				}
				ok = false
				break
			}
		}
		if ok {
			chosen := make([]ClaimsQuery, len(set))
			for k, id := range set {
				chosen[k] = q.Claims[index[id]]
			}
			return ClaimsMatch{Claims: chosen, ClaimSet: s}, steps, nil
		}
	}
	return ClaimsMatch{ClaimSet: -1}, steps, fmt.Errorf("%w (of %d): %w", ErrClaimSets, len(q.ClaimSets), firstErr)
}

// match reports whether claims hold the claim c asks for (and, with values, one of them).
func (c ClaimsQuery) match(claims any) (int, error) {
	sel, steps, err := c.Path.Select(claims)
	if err != nil {
		return steps, fmt.Errorf("%w: %s: %v", ErrClaimMissing, c.Path, err)
	}
	if len(c.Values) == 0 {
		return steps, nil
	}
	for _, s := range sel {
		for _, v := range c.Values {
			steps++
			if sameValue(s, v) {
				return steps, nil
			}
		}
	}
	return steps, fmt.Errorf("%w: %s holds none of the values %s", ErrClaimValue, c.Path, valuesString(c.Values))
}

// sameValue: the claim and the value have the same type and value (strings, booleans, integers;
// numbers compare as numbers whether decoded as float64 or json.Number).
func sameValue(claim, value any) bool {
	switch v := value.(type) {
	case string:
		s, ok := claim.(string)
		return ok && s == v
	case bool:
		b, ok := claim.(bool)
		return ok && b == v
	}
	want, ok1 := number(value)
	got, ok2 := number(claim)
	return ok1 && ok2 && want == got
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, x == math.Trunc(x)
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil && f == math.Trunc(f)
	}
	return 0, false
}

func valuesString(values []any) string {
	b, err := json.Marshal(values)
	if err != nil || len(b) > 200 {
		return fmt.Sprintf("(%d values)", len(values))
	}
	return string(b)
}
