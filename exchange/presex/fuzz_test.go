package presex

import (
	"encoding/json"
	"errors"
	"fmt"
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

func FuzzParseDefinition(f *testing.F) {
	for _, s := range []string{loan, range12, eitherOr, plain, `{`, `null`, `{"id":"d","input_descriptors":[{"id":"a","group":["A","A"]}],"submission_requirements":[{"rule":"pick","max":0,"from":"A"}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDefinition(b)
		if err != nil {
			if !errors.Is(err, ErrInvalidDefinition) {
				t.Fatalf("error %v is not ErrInvalidDefinition", err)
			}
			return
		}
		n := len(d.InputDescriptors)
		if n == 0 || n > MaxInputDescriptors {
			t.Fatalf("%d input descriptors accepted", n)
		}
		for _, avail := range [][]bool{everyOther(n, 0), everyOther(n, 1), everyOther(n, -1)} {
			chosen, err := d.Choose(avail)
			if err != nil {
				continue
			}
			for i := range chosen {
				if chosen[i] && !avail[i] {
					t.Fatalf("chose descriptor %d, which is not available", i)
				}
			}
			if err := d.Satisfies(chosen); err != nil {
				t.Fatalf("Choose's answer does not satisfy: %v", err)
			}
		}
	})
}

// everyOther marks every other of n from start (0 or 1), or all of them (-1).
func everyOther(n, start int) []bool {
	m := make([]bool, n)
	for i := range m {
		m[i] = start < 0 || i%2 == start
	}
	return m
}

// TestParseDefinitionLinear: the definition reader's allocations grow linearly with hostile JSON in an
// unknown member and in a requirement's name (n and 2n).
func TestParseDefinitionLinear(t *testing.T) {
	places := map[string]func(v string) string{
		"unknown member":   func(v string) string { return strings.Replace(loan, `{"id":"def"`, `{"x":`+v+`,"id":"def"`, 1) },
		"requirement name": func(v string) string { return strings.Replace(loan, `"name":"bank"`, `"name":"bank","x":`+v, 1) },
	}
	for place, embed := range places {
		t.Run(place, func(t *testing.T) {
			worktest.EachShape(t, 1000, (maxDefinitionDepth-4)/2, func(t *testing.T, n int, gen func(n int) string) {
				worktest.Linear(t, n, func(n int) []byte { return []byte(embed(gen(n))) }, func(in []byte) {
					if _, err := ParseDefinition(in); err != nil {
						t.Fatal(err)
					}
				})
			})
		})
	}
}

// TestRequirementsLinear: validating, choosing and evaluating cost work linear in the number of input
// descriptors and requirements (n and 2n): each descriptor in its own group and in one shared group,
// one requirement per own group and a pick from the shared one.
func TestRequirementsLinear(t *testing.T) {
	gen := func(n int) []byte {
		var descs []string
		reqs := []string{`{"rule":"pick","min":1,"from":"ALL"}`}
		for i := range n {
			descs = append(descs, fmt.Sprintf("d%d:G%d,ALL", i, i))
			reqs = append(reqs, fmt.Sprintf(`{"rule":"pick","count":1,"from_nested":[{"rule":"all","from":"G%d"}]}`, i))
		}
		return []byte(definitionJSON("["+strings.Join(reqs, ",")+"]", descs...))
	}
	worktest.Linear(t, MaxRequirements/4-1, gen, func(in []byte) {
		d, err := ParseDefinition(in)
		if err != nil {
			t.Fatal(err)
		}
		chosen, err := d.Choose(everyOther(len(d.InputDescriptors), -1))
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Satisfies(chosen); err != nil {
			t.Fatal(err)
		}
	})
}
