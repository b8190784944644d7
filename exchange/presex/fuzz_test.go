package presex

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/worktest"
)

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"$", "$[0]", "$.vp.verifiableCredential[0]", `$['a']["b"][12]`, "$..a", "$[", "$['", "$[00]", "$.a-b_@c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			return
		}
		if p.String() != s || len(p.steps) > len(s) {
			t.Fatalf("%q parsed as %+v", s, p)
		}
		var doc any = map[string]any{"a": []any{"x"}}
		_, _ = p.Eval(doc) // must not panic
	})
}

func FuzzParseSubmission(f *testing.F) {
	for _, s := range []string{
		`{"id":"s","definition_id":"d","descriptor_map":[{"id":"credential_0","format":"jwt_vp_json","path":"$","path_nested":{"id":"credential_0","format":"jwt_vc_json","path":"$.verifiableCredential[0]"}}]}`,
		`{"id":"s","definition_id":"d","descriptor_map":[{"id":"c","format":"jwt_vp","path":"$[1]","path_nested":{"id":"c","format":"jwt_vc","path":"$.vp.verifiableCredential[0]"}}]}`,
		`{"id":"s","definition_id":"d","descriptor_map":[]}`, `{`, `null`, `[]`, strings.Repeat(`{"a":`, 20),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSubmission(b)
		if err != nil {
			return
		}
		if len(s.DescriptorMap) == 0 || len(s.DescriptorMap) > MaxDescriptors {
			t.Fatalf("%d entries accepted", len(s.DescriptorMap))
		}
		def := Build(s.DefinitionID, "", nil, []Requirement{{Type: "T"}})
		_, _ = Evaluate(&def, s, "a.b.c", decodeJWT) // must not panic
	})
}

// TestParseSubmissionLinear: the submission parser's allocations grow linearly with hostile JSON in an
// unknown member (n and 2n).
func TestParseSubmissionLinear(t *testing.T) {
	worktest.EachShape(t, 1000, 3, func(t *testing.T, n int, gen func(n int) string) {
		body := func(n int) []byte {
			return []byte(`{"x":` + gen(n) + `,"id":"s","definition_id":"d","descriptor_map":[{"id":"c","format":"jwt_vp","path":"$"}]}`)
		}
		worktest.Linear(t, n, body, func(in []byte) {
			if _, err := ParseSubmission(in); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// TestEvaluateLinear: following a submission costs work linear in the vp_token (a presentation holding
// credentials with long claims, n and 2n).
func TestEvaluateLinear(t *testing.T) {
	def := Build("d", "", nil, []Requirement{{Type: "T"}})
	sub := &Submission{ID: "s", DefinitionID: "d", DescriptorMap: []Descriptor{entry("credential_0", "$", "$.verifiableCredential[0]")}}
	gen := func(n int) []byte {
		vc := fakeJWT(map[string]any{"iss": "did:key:i", "vc": map[string]any{"type": []string{"T"}, "credentialSubject": map[string]any{"name": strings.Repeat("é\n", n)}}})
		b, _ := json.Marshal(vpJWT(vc))
		return b
	}
	worktest.Linear(t, 20000, gen, func(in []byte) {
		var token any
		if err := json.Unmarshal(in, &token); err != nil {
			t.Fatal(err)
		}
		if _, err := Evaluate(&def, sub, token, decodeJWT); err != nil {
			t.Fatal(err)
		}
	})
}
