package dcql

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/worktest"
)

// pidClaims are processed SD-JWT VC claims like the DCQL examples' (OpenID4VP 1.0 §7.4).
const pidClaims = `{"given_name":"Erika","address":{"street_address":"Heidestr. 17","locality":"Köln"},
 "nationalities":["DE","FR"],"degrees":[{"type":"BSc","year":2009},{"type":"MSc"}],"empty":[],"n":null}`

func TestClaimsPathSelect(t *testing.T) {
	var claims any
	if err := json.Unmarshal([]byte(pidClaims), &claims); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want string // JSON of the selection; "" = error
	}{
		{`["given_name"]`, `["Erika"]`},
		{`["address"]`, `[{"locality":"Köln","street_address":"Heidestr. 17"}]`},
		{`["address","locality"]`, `["Köln"]`},
		{`["nationalities",null]`, `["DE","FR"]`},
		{`["nationalities",1]`, `["FR"]`},
		{`["degrees",null,"type"]`, `["BSc","MSc"]`},
		{`["degrees",null,"year"]`, `[2009]`}, // elements without the member drop out
		{`["n"]`, `[null]`},                   // a null claim is present
		{`["birthdate"]`, ""},                 // not there
		{`["nationalities",2]`, ""},           // index past the end
		{`["empty",null]`, ""},                // no elements
		{`["given_name","x"]`, ""},            // member of a string
		{`["address",0]`, ""},                 // index into an object
		{`["address",null]`, ""},              // all elements of an object
		{`["degrees",null,"year",null]`, ""},  // elements of a number
		{`["degrees","type"]`, ""},            // member of an array
		{`["address","locality","x"]`, ""},    // member of a string
		{`["nationalities",0,0]`, ""},         // index into a string
		{`["degrees",null,"type","x"]`, ""},   // member of strings
		{`["address","street_address"]`, `["Heidestr. 17"]`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var p ClaimsPath
			if err := json.Unmarshal([]byte(tt.path), &p); err != nil {
				t.Fatal(err)
			}
			got, _, err := p.Select(claims)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("selected %v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := json.Marshal(got); string(b) != tt.want {
				t.Fatalf("selected %s, want %s", b, tt.want)
			}
			if p.String() != tt.path {
				t.Fatalf("String %s", p)
			}
		})
	}
}

func TestParseClaimsPathRefuses(t *testing.T) {
	for _, raw := range []string{
		`[]`, `{}`, `"a"`, `[""]`, `[-1]`, `[1.5]`, `[true]`, `[{}]`, `[[]]`, `[1e300]`, `[2000000]`,
		`[` + strings.Repeat(`"a",`, MaxClaimsPath) + `"a"]`, `["` + strings.Repeat("x", 257) + `"]`,
	} {
		var p ClaimsPath
		if err := json.Unmarshal([]byte(raw), &p); !errors.Is(err, ErrClaimsPath) {
			t.Errorf("%s: %v, want ErrClaimsPath", raw, err)
		}
	}
}

// TestClaimsPathLinear: selecting every element's member of an array of n objects takes work
// proportional to n, counted in steps and in allocations (internal/worktest).
func TestClaimsPathLinear(t *testing.T) {
	gen := func(n int) []byte {
		var b strings.Builder
		b.WriteString(`{"items":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"a":[%d,{"b":%d}],"c":"x"}`, i, i)
		}
		b.WriteString(`]}`)
		return []byte(b.String())
	}
	p := ClaimsPath{"items", nil, "a", nil}
	decode := func(in []byte) any {
		var v any
		if err := json.Unmarshal(in, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	const n = 2000
	small, large := decode(gen(n)), decode(gen(2*n))
	sel1, steps1, err1 := p.Select(small)
	sel2, steps2, err2 := p.Select(large)
	if err1 != nil || err2 != nil || len(sel1) != 2*n || len(sel2) != 4*n {
		t.Fatalf("selected %d and %d: %v %v", len(sel1), len(sel2), err1, err2)
	}
	if steps2 > 2*steps1+2 {
		t.Fatalf("%d steps for n, %d for 2n: super-linear", steps1, steps2)
	}
	worktest.Linear(t, n, gen, func(in []byte) {
		if _, _, err := p.Select(decode(in)); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzClaimsPath: any path over any claims selects or fails cleanly, in steps bounded by the claims'
// size times nothing more than the path's length.
func FuzzClaimsPath(f *testing.F) {
	for _, s := range [][2]string{
		{`["given_name"]`, pidClaims}, {`["degrees",null,"type"]`, pidClaims}, {`["nationalities",1]`, pidClaims},
		{`[null,null,null]`, `[[[1,2],[3]],[[4]]]`}, {`["a",0,"b"]`, `{"a":[{"b":1}]}`}, {`[]`, `{}`}, {`[1.5]`, `[1,2]`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, path, claims string) {
		var p ClaimsPath
		if err := json.Unmarshal([]byte(path), &p); err != nil {
			return
		}
		if len(p) == 0 || len(p) > MaxClaimsPath {
			t.Fatalf("accepted path %s", path)
		}
		var c any
		if json.Unmarshal([]byte(claims), &c) != nil {
			return
		}
		sel, steps, err := p.Select(c)
		if err == nil && len(sel) == 0 {
			t.Fatal("no error and nothing selected")
		}
		// Each step visits a value of the claims at most once per path component.
		if limit := (len(claims) + 1) * (len(p) + 1); steps > limit {
			t.Fatalf("%d steps for %d bytes of claims and a path of %d", steps, len(claims), len(p))
		}
	})
}
