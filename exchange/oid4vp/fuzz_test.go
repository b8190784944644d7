package oid4vp

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/worktest"
)

func FuzzParseVPToken(f *testing.F) {
	for _, s := range []string{
		`{"credential_0":["eyJhbGciOiJFUzI1NksifQ.e30.c2ln"]}`, `{"credential_0":"a.b.c"}`, `{}`, `[]`, `"x"`,
		`{"a":[1]}`, `{"a":[]}`, `{"a":["x"],"b":["y"]}`, strings.Repeat("[", 20), `{"a":"\"[[[["}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		token, err := ParseVPToken(s)
		if err != nil {
			return
		}
		n := 0
		for id, vps := range token {
			if len(vps) == 0 {
				t.Fatalf("query %q parsed with no presentation", id)
			}
			n += len(vps)
		}
		if n == 0 || n > MaxPresentations {
			t.Fatalf("%d presentations accepted", n)
		}
	})
}

func FuzzParseCreate(f *testing.F) {
	for _, s := range []string{
		`{"registration":{"clientName":"x"},"requestedCredentials":[{"type":"T","acceptedIssuers":["did:web:a"]}]}`,
		`{"callback":{"url":"https://rp.example/cb","headers":{"api-key":"k"}},"includeQRCode":true}`,
		`{`, `null`, `[]`, strings.Repeat(`{"a":`, 20),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		pr, err := ParseCreate(body)
		if err != nil {
			return
		}
		if _, err := json.Marshal(pr); err != nil {
			t.Fatal(err)
		}
		_ = checkRequested(pr.RequestedCredentials) // must not panic
	})
}

// TestParseVPTokenLinear: the bytes the parser allocates grow linearly with the input (n and 2n give
// about twice as much), for many small presentations and for one large one.
func TestParseVPTokenLinear(t *testing.T) {
	allocated := func(s string) float64 {
		return float64(worktest.Measure(10, func() {
			if _, err := ParseVPToken(s); err != nil {
				t.Fatal(err)
			}
		}).Bytes)
	}
	shapes := map[string]func(n int) string{
		"one long presentation": func(n int) string { return `{"q":["` + strings.Repeat("a", n) + `"]}` },
		"escaped quotes":        func(n int) string { return `{"q":["` + strings.Repeat(`\"[`, n/3) + `"]}` },
	}
	for name, shape := range shapes {
		small, large := allocated(shape(64<<10)), allocated(shape(128<<10))
		if ratio := large / small; ratio < 1.5 || ratio > 2.5 {
			t.Errorf("%s: %v bytes for n, %v for 2n (ratio %.2f), want about 2", name, small, large, ratio)
		}
	}
}

func FuzzParsePresentations(f *testing.F) {
	for _, s := range []string{"eyJhbGciOiJFZERTQSJ9.e30.c2ln", `["a.b.c"]`, `["a.b.c","d.e.f"]`, `[]`, `{"q":["a.b.c"]}`, `[[["a"]]]`, "a.b", `[1]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parsePresentations(s)
		if err != nil {
			return
		}
		switch v := v.(type) {
		case string:
			if strings.Count(v, ".") != 2 {
				t.Fatalf("%q accepted as a JWT", v)
			}
		case []any:
			if len(v) == 0 || len(v) > MaxPresentations {
				t.Fatalf("%d presentations accepted", len(v))
			}
		default:
			t.Fatalf("%T accepted", v)
		}
	})
}

// TestParsePresentationsLinear: a draft-era vp_token costs allocations linear in its size.
func TestParsePresentationsLinear(t *testing.T) {
	gen := func(n int) []byte { return []byte(`["` + strings.Repeat(`\u0061`, n) + `.b.c"]`) }
	worktest.Linear(t, 20000, gen, func(in []byte) {
		if _, err := parsePresentations(string(in)); err != nil {
			t.Fatal(err)
		}
	})
}
