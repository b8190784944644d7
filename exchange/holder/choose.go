package holder

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/exchange/oid4vp"
)

// heldCredential is a held credential as the wallet reads it to choose: what DCQL matches (format,
// types or vct, claims: a VC-JWT's credential JSON, or an SD-JWT VC's payload with every Disclosure
// applied) and its issuance time.
type heldCredential struct {
	raw    string
	format string
	types  []string
	vct    string
	claims map[string]any
	iat    int64
}

// readHeldCredentials reads what the wallet holds; a credential it cannot read answers nothing.
func readHeldCredentials(held []string) []heldCredential {
	out := make([]heldCredential, 0, len(held))
	for _, h := range held {
		var c heldCredential
		var err error
		if sdjwt.Is(h) {
			c, err = readSDJWT(h)
		} else {
			c, err = readVCJWT(h)
		}
		if err == nil {
			c.raw = h
			out = append(out, c)
		}
	}
	return out
}

func readSDJWT(issued string) (heldCredential, error) {
	claims, err := sdjwt.HolderClaims(issued)
	if err != nil {
		return heldCredential{}, err
	}
	c := heldCredential{format: oid4vp.FormatSDJWT, claims: claims}
	c.vct, _ = claims["vct"].(string)
	c.iat = numberClaim(claims["iat"])
	return c, nil
}

// candidate is a held credential that answers a credential query, with the claims it answers with.
type candidate struct {
	*heldCredential
	match dcql.ClaimsMatch
}

// Choice says which held credentials the wallet prefers, beyond the query's rules.
type Choice struct {
	// Use names held credentials to present in preference to others: for a credential query that one
	// of them answers, only they are candidates (with multiple, all of them are presented).
	Use []string
}

// candidates finds, for each credential query, the held credentials that answer it (format, meta,
// claims and values, the first claim set they satisfy), newest first (by iat; among equals, in the
// order held), or only the preferred ones among them when choice names some. why says, for a query no
// credential answers, what was missing.
func candidates(q *dcql.Query, held []heldCredential, choice Choice) (map[string][]candidate, map[string]string) {
	out := make(map[string][]candidate, len(q.Credentials))
	why := make(map[string]string)
	for _, cq := range q.Credentials {
		var found, preferred []candidate
		reason := fmt.Sprintf("no held %s credential of %s", cq.Format, describeMeta(cq.Meta))
		for i := range held {
			h := &held[i]
			if h.format != cq.Format || !cq.Meta.MatchTypes(h.types) || h.format == oid4vp.FormatSDJWT && !cq.Meta.MatchVCT(h.vct) {
				continue
			}
			m, err := cq.MatchClaims(h.claims)
			if err != nil {
				reason = err.Error()
				continue
			}
			c := candidate{heldCredential: h, match: m}
			found = append(found, c)
			if slices.Contains(choice.Use, h.raw) {
				preferred = append(preferred, c)
			}
		}
		if len(preferred) > 0 {
			found = preferred
		}
		slices.SortStableFunc(found, func(a, b candidate) int { return cmp.Compare(b.iat, a.iat) })
		if len(found) == 0 {
			why[cq.ID] = reason
			continue
		}
		if !cq.Multiple || len(preferred) == 0 {
			// One credential unless the holder named several for a query that allows them: a wallet
			// discloses no more than the verifier needs.
			found = found[:1]
		}
		out[cq.ID] = found
	}
	return out, why
}

// choose picks what answers q: the credential queries dcql.Query.PickPreferring chooses (the first
// satisfiable option of each credential set holding a query a named credential answers, else the
// first satisfiable one; all queries without sets) and each one's candidates.
func choose(q *dcql.Query, held []string, choice Choice) ([]string, map[string][]candidate, error) {
	cands, why := candidates(q, readHeldCredentials(held), choice)
	// A query a named credential answers has only named candidates (candidates); the holder's choice
	// comes before the verifier's order of options.
	named := func(id string) bool {
		return slices.ContainsFunc(cands[id], func(c candidate) bool { return slices.Contains(choice.Use, c.raw) })
	}
	ids, err := q.PickPreferring(func(id string) bool { return len(cands[id]) > 0 }, named)
	if err != nil {
		var reasons []string
		for _, cq := range q.Credentials {
			if r, ok := why[cq.ID]; ok {
				reasons = append(reasons, fmt.Sprintf("%s: %s", cq.ID, r))
			}
		}
		return nil, nil, fmt.Errorf("%w: %w (%s)", ErrNoMatch, err, strings.Join(reasons, "; "))
	}
	return ids, cands, nil
}

func describeMeta(m dcql.Meta) string {
	switch {
	case len(m.VCTValues) > 0:
		return fmt.Sprintf("vct %v", m.VCTValues)
	case len(m.TypeValues) > 0:
		return fmt.Sprintf("type %v", m.TypeValues)
	}
	return "any type"
}

// numberClaim reads a NumericDate claim decoded as float64 or json.Number; 0 when absent.
func numberClaim(v any) int64 {
	switch x := v.(type) {
	case float64:
		return int64(x)
	case interface{ Int64() (int64, error) }:
		n, _ := x.Int64()
		return n
	}
	return 0
}

// errUnusable: a preferred credential answers no credential query.
var errUnusable = errors.New("a credential named to be used answers none of the request's credential queries")

// checkChoice refuses a Use that no query has among its candidates, so a holder's explicit choice is
// never silently set aside.
func checkChoice(choice Choice, picked []string, cands map[string][]candidate) error {
	for _, u := range choice.Use {
		used := false
		for _, id := range picked {
			for _, c := range cands[id] {
				used = used || c.raw == u
			}
		}
		if !used {
			return fmt.Errorf("%w: %w: %s", ErrNoMatch, errUnusable, credential.Truncate(u))
		}
	}
	return nil
}
