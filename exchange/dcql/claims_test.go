package dcql

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMatchClaims(t *testing.T) {
	q, err := Parse([]byte(exampleQuery))
	if err != nil {
		t.Fatal(err)
	}
	pid, bill, loyalty := q.Credentials[0], q.Credentials[2], q.Credentials[3]
	tests := []struct {
		name   string
		query  CredentialQuery
		claims string
		set    int      // chosen claim set
		ids    []string // chosen claims' ids (or paths)
		err    error
	}{
		{"first claim set", pid, `{"given_name":"E","address":{"street_address":"S 1","postal_code":"5"}}`, 0, []string{"given", "street"}, nil},
		{"second claim set", pid, `{"given_name":"E","address":{"postal_code":"5"}}`, 1, []string{"given", "postcode"}, nil},
		{"no claim set", pid, `{"address":{"postal_code":"5"}}`, -1, nil, ErrClaimSets},
		{"missing claim is why", pid, `{"address":{"postal_code":"5"}}`, -1, nil, ErrClaimMissing},
		{"value accepted", bill, `{"credentialSubject":{"country":"FR"}}`, -1, []string{`["credentialSubject","country"]`}, nil},
		{"value refused", bill, `{"credentialSubject":{"country":"IT"}}`, -1, nil, ErrClaimValue},
		{"value of another type", bill, `{"credentialSubject":{"country":["DE"]}}`, -1, nil, ErrClaimValue},
		{"claim missing", bill, `{"credentialSubject":{}}`, -1, nil, ErrClaimMissing},
		{"no claims asked", loyalty, `{}`, -1, nil, nil},
		{"integer and boolean values", CredentialQuery{Claims: []ClaimsQuery{
			{Path: ClaimsPath{"age"}, Values: []any{float64(18), float64(21)}}, {Path: ClaimsPath{"adult"}, Values: []any{true}}}},
			`{"age":21,"adult":true}`, -1, []string{`["age"]`, `["adult"]`}, nil},
		{"a string is not a number", CredentialQuery{Claims: []ClaimsQuery{{Path: ClaimsPath{"age"}, Values: []any{float64(21)}}}},
			`{"age":"21"}`, -1, nil, ErrClaimValue},
		{"any selected element", CredentialQuery{Claims: []ClaimsQuery{{Path: ClaimsPath{"nat", nil}, Values: []any{"FR"}}}},
			`{"nat":["DE","FR"]}`, -1, []string{`["nat",null]`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.query.MatchClaims(decode(t, tt.claims))
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, c := range m.Claims {
				id := c.ID
				if id == "" {
					id = c.Path.String()
				}
				ids = append(ids, id)
			}
			if m.ClaimSet != tt.set || fmt.Sprint(ids) != fmt.Sprint(tt.ids) {
				t.Fatalf("claim set %d %v, want %d %v", m.ClaimSet, ids, tt.set, tt.ids)
			}
		})
	}
}

// TestMatchClaimsLinear: with n claims and claim sets that each name all of them and fail on the last,
// each claim is still evaluated once: the steps for 2n are at most twice those for n.
func TestMatchClaimsLinear(t *testing.T) {
	run := func(n int) int {
		q := CredentialQuery{ID: "a", Format: "f"}
		set := make([]string, n)
		for i := range n {
			id := fmt.Sprintf("c%d", i)
			q.Claims = append(q.Claims, ClaimsQuery{ID: id, Path: ClaimsPath{"s", id}})
			set[i] = id
		}
		for range MaxClaimSets {
			q.ClaimSets = append(q.ClaimSets, set)
		}
		claims := map[string]any{}
		for i := range n - 1 { // the last claim is missing: every set fails at its end
			claims[fmt.Sprintf("c%d", i)] = i
		}
		if _, err := q.validate(); err != nil {
			t.Fatal(err)
		}
		_, steps, err := q.matchClaims(map[string]any{"s": claims})
		if !errors.Is(err, ErrClaimSets) {
			t.Fatalf("err %v", err)
		}
		return steps
	}
	small, large := run(MaxClaims/2), run(MaxClaims)
	if large > 2*small+2 {
		t.Fatalf("%d steps for n claims, %d for 2n: super-linear", small, large)
	}
	// A matcher that re-evaluated each claim per claim set would do 16 selections per claim.
	if limit := MaxClaims * (MaxClaimSets + 4); large > limit {
		t.Fatalf("%d steps for %d claims in %d sets, want at most %d", large, MaxClaims, MaxClaimSets, limit)
	}
}

func TestMatchClaimsUnknownSetID(t *testing.T) {
	// A query built in Go (not Parse) may name a claim that does not exist: an error, not a panic.
	q := CredentialQuery{Claims: []ClaimsQuery{{ID: "a", Path: ClaimsPath{"a"}}}, ClaimSets: [][]string{{"b"}}}
	if _, err := q.MatchClaims(decode(t, `{"a":1}`)); !errors.Is(err, ErrClaimSets) || !strings.Contains(err.Error(), `"b"`) {
		t.Fatalf("err %v", err)
	}
}
