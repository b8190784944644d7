package dcql

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ionode/ionode/internal/jsonlimit"
)

// Bounds on a query: a relying party asks for a few credentials, in a few combinations.
const (
	// MaxQueryBytes bounds a query's JSON.
	MaxQueryBytes = 64 << 10
	// MaxCredentials bounds the credential queries of a query.
	MaxCredentials = 16
	// MaxCredentialSets bounds the credential sets, and the options of one set.
	MaxCredentialSets = 16
	// MaxClaims bounds the claims one credential query asks for.
	MaxClaims = 64
	// MaxClaimSets bounds the claim sets of one credential query.
	MaxClaimSets = 16
	// MaxValues bounds the values a claims query accepts.
	MaxValues = 16
	// maxIDLength bounds credential query and claim ids.
	maxIDLength = 64
	// maxDepth bounds the query's JSON nesting (query, set, option, id; or claims, path).
	maxDepth = 8
)

// ErrQuery marks a DCQL query that does not parse or breaks OpenID4VP 1.0 §6's rules or this package's
// bounds.
var ErrQuery = errors.New("invalid DCQL query")

// Query is a DCQL query.
type Query struct {
	Credentials []CredentialQuery `json:"credentials"`
	// CredentialSets, when present, say which combinations of credential queries answer; without them
	// every credential query must be answered.
	CredentialSets []CredentialSet `json:"credential_sets,omitempty"`
}

// CredentialQuery asks for one credential (or several, with Multiple).
type CredentialQuery struct {
	ID     string `json:"id"`
	Format string `json:"format"`
	// Multiple lets the wallet answer with more than one credential; by default exactly one.
	Multiple bool          `json:"multiple,omitempty"`
	Meta     Meta          `json:"meta"`
	Claims   []ClaimsQuery `json:"claims,omitempty"`
	// ClaimSets are alternative combinations of Claims (by claim id), in the verifier's order of
	// preference; without them every claim is asked for.
	ClaimSets [][]string `json:"claim_sets,omitempty"`
}

// Meta constrains W3C VCs: the credential's type must include every type of one of the inner arrays
// (OpenID4VP 1.0 Appendix B.1); and SD-JWT VCs: vct must be one of VCTValues (B.3).
type Meta struct {
	TypeValues [][]string `json:"type_values,omitempty"`
	VCTValues  []string   `json:"vct_values,omitempty"`
}

// ClaimsQuery asks for one claim by its path; with Values, only a claim equal to one of them answers.
type ClaimsQuery struct {
	ID     string     `json:"id,omitempty"`
	Path   ClaimsPath `json:"path"`
	Values []any      `json:"values,omitempty"`
}

// CredentialSet is one requirement on the combination of credentials: one of Options (each a list of
// credential query ids, all of which must be answered) must be met when the set is required.
type CredentialSet struct {
	Options [][]string `json:"options"`
	// Required defaults to true (nil); false makes the whole set optional.
	Required *bool `json:"required,omitempty"`
}

// IsRequired reports whether the set must be met (required is absent or true).
func (s CredentialSet) IsRequired() bool { return s.Required == nil || *s.Required }

// Parse reads a query from outside (a request object's dcql_query) and checks it: bounded in size and
// depth before it is decoded, then Validate.
func Parse(b []byte) (*Query, error) {
	if err := jsonlimit.Check(b, MaxQueryBytes, maxDepth); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrQuery, err)
	}
	var q Query
	if err := json.Unmarshal(b, &q); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrQuery, err)
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return &q, nil
}

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrQuery, fmt.Sprintf(format, args...))
}

// Validate checks the rules of OpenID4VP 1.0 §6 and the bounds: unique well-formed ids, credential sets
// naming existing credential queries, claim sets naming existing claims (which then need ids), values
// that are strings, integers or booleans. Its work is linear in the query (ids are looked up in maps).
func (q *Query) Validate() error {
	_, err := q.validate()
	return err
}

// validate is Validate counting its steps (for the linearity test).
func (q *Query) validate() (steps int, err error) {
	if len(q.Credentials) == 0 || len(q.Credentials) > MaxCredentials {
		return 0, bad("want 1-%d credential queries, got %d", MaxCredentials, len(q.Credentials))
	}
	ids := make(map[string]bool, len(q.Credentials))
	for i := range q.Credentials {
		c := &q.Credentials[i]
		if err := checkID(c.ID); err != nil {
			return steps, bad("credentials[%d].id: %v", i, err)
		}
		if ids[c.ID] {
			return steps, bad("credential query id %q is used twice", c.ID)
		}
		ids[c.ID] = true
		n, err := c.validate()
		steps += n
		if err != nil {
			return steps, bad("credential query %q: %v", c.ID, err)
		}
	}
	if q.CredentialSets != nil && len(q.CredentialSets) == 0 {
		return steps, bad("credential_sets is empty")
	}
	if len(q.CredentialSets) > MaxCredentialSets {
		return steps, bad("more than %d credential sets", MaxCredentialSets)
	}
	for i, s := range q.CredentialSets {
		n, err := checkOptions(s.Options, ids, MaxCredentialSets, MaxCredentials)
		steps += n
		if err != nil {
			return steps, bad("credential_sets[%d].options: %v", i, err)
		}
	}
	return steps, nil
}

func (c *CredentialQuery) validate() (steps int, err error) {
	if c.Format == "" || len(c.Format) > 256 {
		return 0, errors.New("a format of 1-256 characters is required")
	}
	if len(c.Meta.TypeValues) > MaxClaims || len(c.Meta.VCTValues) > MaxClaims {
		return 0, fmt.Errorf("meta: at most %d values", MaxClaims)
	}
	for _, set := range c.Meta.TypeValues {
		steps += len(set) + 1
		if len(set) == 0 || len(set) > MaxClaims {
			return steps, fmt.Errorf("meta.type_values: each entry lists 1-%d types", MaxClaims)
		}
	}
	if c.Claims != nil && len(c.Claims) == 0 {
		return steps, errors.New("claims is empty")
	}
	if len(c.Claims) > MaxClaims {
		return steps, fmt.Errorf("more than %d claims", MaxClaims)
	}
	claimIDs := make(map[string]bool, len(c.Claims))
	for k, cl := range c.Claims {
		steps += len(cl.Path) + len(cl.Values) + 1
		if len(cl.Path) == 0 {
			return steps, fmt.Errorf("claims[%d]: a path is required", k)
		}
		if cl.ID != "" {
			if err := checkID(cl.ID); err != nil {
				return steps, fmt.Errorf("claims[%d].id: %v", k, err)
			}
			if claimIDs[cl.ID] {
				return steps, fmt.Errorf("claim id %q is used twice", cl.ID)
			}
			claimIDs[cl.ID] = true
		} else if c.ClaimSets != nil {
			return steps, fmt.Errorf("claims[%d]: claims need ids when claim_sets name them", k)
		}
		if err := checkValues(cl.Values); err != nil {
			return steps, fmt.Errorf("claims[%d].values: %v", k, err)
		}
	}
	if c.ClaimSets == nil {
		return steps, nil
	}
	if len(c.Claims) == 0 {
		return steps, errors.New("claim_sets without claims")
	}
	n, err := checkOptions(c.ClaimSets, claimIDs, MaxClaimSets, MaxClaims)
	steps += n
	if err != nil {
		return steps, fmt.Errorf("claim_sets: %v", err)
	}
	return steps, nil
}

// checkOptions checks a non-empty list of at most maxOptions non-empty lists of at most maxIDs ids,
// each one of known: credential sets' options and claim sets share this shape.
func checkOptions(options [][]string, known map[string]bool, maxOptions, maxIDs int) (steps int, err error) {
	if len(options) == 0 || len(options) > maxOptions {
		return 0, fmt.Errorf("want 1-%d entries, got %d", maxOptions, len(options))
	}
	for i, o := range options {
		if len(o) == 0 || len(o) > maxIDs {
			return steps, fmt.Errorf("entry %d: want 1-%d ids, got %d", i, maxIDs, len(o))
		}
		for _, id := range o {
			steps++
			if !known[id] {
				return steps, fmt.Errorf("entry %d names %q, which is not defined", i, truncate(id))
			}
		}
	}
	return steps, nil
}

// checkID: ids are non-empty, of ASCII letters, digits, underscores and hyphens (OpenID4VP 1.0 §6.1).
func checkID(id string) error {
	if id == "" || len(id) > maxIDLength {
		return fmt.Errorf("want 1-%d characters", maxIDLength)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf("%q: only letters, digits, _ and - are allowed", truncate(id))
		}
	}
	return nil
}

// checkValues: a non-empty list of strings, integers and booleans when present.
func checkValues(values []any) error {
	if values != nil && len(values) == 0 {
		return errors.New("empty")
	}
	if len(values) > MaxValues {
		return fmt.Errorf("more than %d", MaxValues)
	}
	for i, v := range values {
		switch x := v.(type) {
		case string:
			if len(x) > 1024 {
				return fmt.Errorf("value %d is over 1024 bytes", i)
			}
		case bool:
		case float64:
			if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
				return fmt.Errorf("value %d is not an integer", i)
			}
		case int:
		default:
			return fmt.Errorf("value %d is a %T: values are strings, integers or booleans", i, v)
		}
	}
	return nil
}

// MatchTypes reports whether a credential of types answers meta's type_values (any one entry's types
// all present), or there are none to match.
func (m Meta) MatchTypes(types []string) bool {
	for _, set := range m.TypeValues {
		ok := true
		for _, t := range set {
			if !slices.Contains(types, t) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return len(m.TypeValues) == 0
}

// MatchVCT reports whether an SD-JWT VC's vct is one of meta's vct_values, or there are none.
func (m Meta) MatchVCT(vct string) bool {
	return len(m.VCTValues) == 0 || slices.Contains(m.VCTValues, vct)
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
