package dcql

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzParse: any input is refused with ErrQuery (or ErrClaimsPath) or parses into a query that
// validates, survives a JSON round trip, and that Check, Pick and MatchClaims evaluate without panic,
// Pick's answer always passing Check.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		exampleQuery,
		`{"credentials":[{"id":"a","format":"jwt_vc_json","meta":{"type_values":[["T"]]}}]}`,
		`{"credentials":[{"id":"a","format":"f","meta":{},"claims":[{"id":"x","path":["a",null,0],"values":[1,"s",true]}],"claim_sets":[["x"]]}],"credential_sets":[{"options":[["a"]],"required":false}]}`,
		`{"credentials":[{"id":"a","format":"f","meta":{}}],"credential_sets":[{"options":[["b"]]}]}`,
		`{"credentials":[]}`, `[]`, `{`,
	} {
		f.Add(s)
	}
	claims := map[string]any{"given_name": "E", "address": map[string]any{"postal_code": "5"}, "a": []any{[]any{1.0}}}
	f.Fuzz(func(t *testing.T, in string) {
		q, err := Parse([]byte(in))
		if err != nil {
			if !errors.Is(err, ErrQuery) && !errors.Is(err, ErrClaimsPath) {
				t.Fatalf("error %v is not ErrQuery", err)
			}
			return
		}
		b, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(b); err != nil {
			t.Fatalf("re-parse of %s: %v", b, err)
		}
		odd := func(id string) bool { return len(id)%2 == 1 }
		if ids, err := q.Pick(odd); err == nil {
			picked := map[string]bool{}
			for _, id := range ids {
				picked[id] = true
			}
			if err := q.Check(func(id string) bool { return picked[id] }); err != nil {
				t.Fatalf("Pick %v fails Check: %v", ids, err)
			}
		}
		_ = q.Check(odd)
		for i := range q.Credentials {
			m, err := q.Credentials[i].MatchClaims(claims)
			if err == nil && len(q.Credentials[i].Claims) > 0 && len(m.Claims) == 0 {
				t.Fatal("claims matched, none chosen")
			}
		}
	})
}
