package dcql

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestCheckAndPick(t *testing.T) {
	q, err := Parse([]byte(exampleQuery))
	if err != nil {
		t.Fatal(err)
	}
	all := &Query{Credentials: q.Credentials}
	tests := []struct {
		name    string
		query   *Query
		have    []string // answered (Check) or answerable (Pick)
		checkOK bool
		pick    []string // nil: Pick fails
	}{
		{"first option", q, []string{"pid"}, true, []string{"pid"}},
		{"second option", q, []string{"passport", "bill"}, true, []string{"passport", "bill"}},
		{"half an option", q, []string{"passport"}, false, nil},
		{"optional set absent", q, []string{"pid", "passport"}, true, []string{"pid"}},
		{"optional set present", q, []string{"bill", "loyalty", "passport"}, true, []string{"passport", "bill", "loyalty"}},
		{"preferred option first", q, []string{"pid", "passport", "bill"}, true, []string{"pid"}},
		{"only the optional set", q, []string{"loyalty"}, false, nil},
		{"nothing", q, nil, false, nil},
		{"without sets: all", all, []string{"pid", "passport", "bill", "loyalty"}, true, []string{"pid", "passport", "bill", "loyalty"}},
		{"without sets: one missing", all, []string{"pid", "passport", "bill"}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			have := func(id string) bool { return slices.Contains(tt.have, id) }
			if err := tt.query.Check(have); (err == nil) != tt.checkOK || err != nil && !errors.Is(err, ErrCredentialSets) {
				t.Errorf("Check: %v, want ok %v", err, tt.checkOK)
			}
			got, err := tt.query.Pick(have)
			if tt.pick == nil {
				if !errors.Is(err, ErrCredentialSets) {
					t.Fatalf("Pick %v, %v: want ErrCredentialSets", got, err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.pick) {
				t.Fatalf("Pick %v, %v: want %v", got, err, tt.pick)
			}
			// What a wallet picks satisfies the verifier's check.
			if err := tt.query.Check(func(id string) bool { return slices.Contains(got, id) }); err != nil {
				t.Fatalf("the pick %v does not pass Check: %v", got, err)
			}
		})
	}
}

// TestValidateAndCheckLinear: a query of n credential queries, with the most credential sets and
// options, each option naming every query: validating it and checking an answer that meets no option
// until the last ones takes steps linear in the query's size (2n: at most twice n's).
func TestValidateAndCheckLinear(t *testing.T) {
	run := func(n int) int {
		q := &Query{}
		ids := make([]string, n)
		for i := range n {
			ids[i] = fmt.Sprintf("q%d", i)
			q.Credentials = append(q.Credentials, CredentialQuery{ID: ids[i], Format: "f"})
		}
		// Every option names all queries but is failed by its last id.
		for range MaxCredentialSets {
			s := CredentialSet{}
			for range MaxCredentialSets {
				s.Options = append(s.Options, ids)
			}
			q.CredentialSets = append(q.CredentialSets, s)
		}
		v, err := q.validate()
		if err != nil {
			t.Fatal(err)
		}
		c, err := q.check(func(id string) bool { return id != ids[n-1] })
		if !errors.Is(err, ErrCredentialSets) {
			t.Fatalf("err %v", err)
		}
		return v + c
	}
	small, large := run(MaxCredentials/2), run(MaxCredentials)
	if large > 2*small+2 {
		t.Fatalf("%d steps for n, %d for 2n: super-linear", small, large)
	}
}

func TestPickPreferring(t *testing.T) {
	q, err := Parse([]byte(exampleQuery))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		can, prefer []string
		want        []string
	}{
		{"no preference: the verifier's order", []string{"pid", "passport", "bill"}, nil, []string{"pid"}},
		{"a preferred query's option first", []string{"pid", "passport", "bill"}, []string{"bill"}, []string{"passport", "bill"}},
		{"a preferred option that cannot be met", []string{"pid", "bill"}, []string{"bill"}, []string{"pid"}},
		{"preferring the optional set's query", []string{"pid", "loyalty"}, []string{"loyalty"}, []string{"pid", "loyalty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := q.PickPreferring(func(id string) bool { return slices.Contains(tt.can, id) }, func(id string) bool { return slices.Contains(tt.prefer, id) })
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("PickPreferring %v, %v: want %v", got, err, tt.want)
			}
		})
	}
}
