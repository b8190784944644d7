package presex

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The definitions below follow the shapes of DIF PE v2's Submission Requirement examples (a pick of one
// from a group, all of another group, a pick of one among nested requirements; pick with count, with
// min and max; a pick among an "all" and a "pick count 2"), with our own groups and descriptors.

// definitionJSON writes a definition whose input descriptors are named by descs ("id:G1,G2") and whose
// submission_requirements are reqs (JSON).
func definitionJSON(reqs string, descs ...string) string {
	var in []string
	for _, d := range descs {
		id, gs, _ := strings.Cut(d, ":")
		group := ""
		if gs != "" {
			b, _ := json.Marshal(strings.Split(gs, ","))
			group = `"group":` + string(b) + `,`
		}
		in = append(in, `{"id":"`+id+`",`+group+`"constraints":{"fields":[{"path":["$.vc.type"],"filter":{"type":"array","contains":{"const":"`+id+`"}}}]}}`)
	}
	s := `{"id":"def","input_descriptors":[` + strings.Join(in, ",") + `]`
	if reqs != "" {
		s += `,"submission_requirements":` + reqs
	}
	return s + "}"
}

// loan asks for one bank statement (A), every employment proof (B), and citizenship of one country:
// all of C or all of D.
var loan = definitionJSON(`[
	{"name":"bank","rule":"pick","count":1,"from":"A"},
	{"name":"employment","rule":"all","from":"B"},
	{"name":"citizenship","rule":"pick","count":1,"from_nested":[{"rule":"all","from":"C"},{"rule":"all","from":"D"}]}]`,
	"bank1:A", "bank2:A", "employer:B", "payslip:B", "passportUS:C", "birthUS:C", "idEU:D")

// range12 asks for one or two of group A.
var range12 = definitionJSON(`[{"rule":"pick","min":1,"max":2,"from":"A"}]`, "a1:A", "a2:A", "a3:A")

// eitherOr asks for all of A, or two of B.
var eitherOr = definitionJSON(`[{"rule":"pick","count":1,"from_nested":[{"rule":"all","from":"A"},{"rule":"pick","count":2,"from":"B"}]}]`,
	"a1:A", "a2:A", "b1:B", "b2:B", "b3:B")

// plain has no submission requirements: both descriptors are required.
var plain = definitionJSON("", "x", "y")

func mustParse(t *testing.T, s string) *Definition {
	t.Helper()
	d, err := ParseDefinition([]byte(s))
	if err != nil {
		t.Fatalf("%v\n%s", err, s)
	}
	return d
}

// marks turns descriptor ids into a mark per input descriptor.
func marks(d *Definition, ids string) []bool {
	m := make([]bool, len(d.InputDescriptors))
	for _, id := range strings.Fields(ids) {
		i := slices.IndexFunc(d.InputDescriptors, func(in InputDescriptor) bool { return in.ID == id })
		if i < 0 {
			panic("no descriptor " + id)
		}
		m[i] = true
	}
	return m
}

func ids(d *Definition, m []bool) string {
	var out []string
	for i, ok := range m {
		if ok {
			out = append(out, d.InputDescriptors[i].ID)
		}
	}
	return strings.Join(out, " ")
}

func TestSatisfies(t *testing.T) {
	tests := []struct {
		name, def, answered string
		err                 error
	}{
		{"loan: one bank, all employment, US", loan, "bank2 employer payslip passportUS birthUS", nil},
		{"loan: EU citizenship instead", loan, "bank1 employer payslip idEU", nil},
		{"loan: two banks break count 1", loan, "bank1 bank2 employer payslip idEU", ErrRequirement},
		{"loan: no bank", loan, "employer payslip idEU", ErrRequirement},
		{"loan: one employment proof of two", loan, "bank1 employer idEU", ErrRequirement},
		{"loan: half of the US proofs", loan, "bank1 employer payslip passportUS", ErrRequirement},
		{"loan: both citizenships break count 1", loan, "bank1 employer payslip passportUS birthUS idEU", ErrRequirement},
		{"range: one", range12, "a2", nil},
		{"range: two", range12, "a1 a3", nil},
		{"range: none is below min", range12, "", ErrRequirement},
		{"range: three is above max", range12, "a1 a2 a3", ErrRequirement},
		{"either: all of A", eitherOr, "a1 a2", nil},
		{"either: two of B", eitherOr, "b1 b3", nil},
		{"either: one of A", eitherOr, "a1 b1", ErrRequirement},
		{"either: both branches break count 1", eitherOr, "a1 a2 b1 b2", ErrRequirement},
		{"either: three of B", eitherOr, "b1 b2 b3", ErrRequirement},
		{"a group named twice counts once", definitionJSON(`[{"rule":"pick","count":2,"from":"A"}]`, "p:A,A", "q:A"), "p", ErrRequirement},
		{"no requirements: both", plain, "x y", nil},
		{"no requirements: one missing", plain, "x", ErrUnanswered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.def)
			done(t, d.Satisfies(marks(d, tt.answered)), tt.err)
		})
	}
}

func TestChoose(t *testing.T) {
	tests := []struct {
		name, def, available string
		want                 string // the chosen ids; "" with err
		err                  error
	}{
		{"loan: everything held, the fewest chosen", loan, "bank1 bank2 employer payslip passportUS birthUS idEU", "bank1 employer payslip passportUS birthUS", nil},
		{"loan: only the EU branch complete", loan, "bank2 employer payslip passportUS idEU", "bank2 employer payslip idEU", nil},
		{"loan: no citizenship branch complete", loan, "bank2 employer payslip passportUS", "", ErrRequirement},
		{"loan: an employment proof missing", loan, "bank1 employer idEU", "", ErrRequirement},
		{"range: one is enough", range12, "a1 a2 a3", "a1", nil},
		{"range: none held", range12, "", "", ErrRequirement},
		{"pick with a max alone: one", definitionJSON(`[{"rule":"pick","max":2,"from":"A"}]`, "p:A", "q:A", "r:A"), "q r", "q", nil},
		{"pick with no bound: one", definitionJSON(`[{"rule":"pick","from":"A"}]`, "p:A", "q:A"), "p q", "p", nil},
		{"either: A incomplete, B has two", eitherOr, "a1 b2 b3", "b2 b3", nil},
		{"either: A complete comes first", eitherOr, "a1 a2 b1 b2", "a1 a2", nil},
		{"pick short of its count is passed over", definitionJSON(`[{"rule":"pick","count":1,"from_nested":[{"rule":"pick","count":2,"from":"A"},{"rule":"all","from":"B"}]}]`, "a1:A", "a2:A", "b1:B"), "a1 b1", "b1", nil},
		{"either: neither", eitherOr, "a1 b1", "", ErrRequirement},
		{"no requirements: all held", plain, "x y", "x y", nil},
		{"no requirements: one missing", plain, "y", "", ErrUnanswered},
		{"overlapping groups no choice meets", definitionJSON(`[{"rule":"all","from":"A"},{"rule":"pick","max":1,"from":"B"}]`, "p:A,B", "q:A,B"), "p q", "", ErrRequirement},
		{"min 0 and nothing held", definitionJSON(`[{"rule":"pick","min":0,"from":"A"}]`, "p:A"), "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.def)
			got, err := d.Choose(marks(d, tt.available))
			if done(t, err, tt.err) {
				return
			}
			if ids(d, got) != tt.want {
				t.Fatalf("chose %q, want %q", ids(d, got), tt.want)
			}
			if err := d.Satisfies(got); err != nil {
				t.Fatalf("the choice does not satisfy: %v", err)
			}
		})
	}
}

func TestParseDefinitionRefusals(t *testing.T) {
	deep := `[{"rule":"all","from":"A"}]`
	for range MaxRequirementDepth {
		deep = `[{"rule":"all","from_nested":` + deep + `}]`
	}
	many := strings.TrimSuffix(strings.Repeat(`{"rule":"all","from":"A"},`, MaxRequirements+1), ",")
	tests := []struct {
		name string
		def  string
		code ErrorCode
	}{
		{"not JSON", `{`, CodeMalformed},
		{"an array", `[]`, CodeMalformed},
		{"count not an integer", definitionJSON(`[{"rule":"pick","count":1.5,"from":"A"}]`, "a:A"), CodeMalformed},
		{"over the size cap", `{"id":"` + strings.Repeat("a", MaxDefinitionBytes) + `"}`, CodeMalformed},
		{"nested too deep", strings.Repeat(`{"a":`, 30) + "1" + strings.Repeat("}", 30), CodeMalformed},
		{"no id", `{"input_descriptors":[{"id":"a"}]}`, CodeDescriptors},
		{"no input descriptors", `{"id":"d","input_descriptors":[]}`, CodeDescriptors},
		{"too many input descriptors", `{"id":"d","input_descriptors":[` + strings.TrimSuffix(strings.Repeat(`{"id":"a"},`, MaxInputDescriptors+1), ",") + `]}`, CodeDescriptors},
		{"duplicate descriptor id", definitionJSON("", "a", "a"), CodeDescriptorID},
		{"empty descriptor id", `{"id":"d","input_descriptors":[{"id":""}]}`, CodeDescriptorID},
		{"field without a path", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"path":[]}]}}]}`, CodeField},
		{"field with a wildcard path", `{"id":"d","input_descriptors":[{"id":"a","constraints":{"fields":[{"path":["$.*"]}]}}]}`, CodeField},
		{"a descriptor outside every group", definitionJSON(`[{"rule":"all","from":"A"}]`, "a:A", "b"), CodeGroupMissing},
		{"unknown rule", definitionJSON(`[{"rule":"any","from":"A"}]`, "a:A"), CodeRule},
		{"no rule", definitionJSON(`[{"from":"A"}]`, "a:A"), CodeRule},
		{"from and from_nested", definitionJSON(`[{"rule":"all","from":"A","from_nested":[{"rule":"all","from":"A"}]}]`, "a:A"), CodeSource},
		{"neither from nor from_nested", definitionJSON(`[{"rule":"all"}]`, "a:A"), CodeSource},
		{"empty from_nested", definitionJSON(`[{"rule":"all","from_nested":[]}]`, "a:A"), CodeSource},
		{"unknown group", definitionJSON(`[{"rule":"all","from":"Z"}]`, "a:A"), CodeUnknownGroup},
		{"unknown group, nested", definitionJSON(`[{"rule":"pick","count":1,"from_nested":[{"rule":"all","from":"A"},{"rule":"all","from":"Z"}]}]`, "a:A"), CodeUnknownGroup},
		{"count 0", definitionJSON(`[{"rule":"pick","count":0,"from":"A"}]`, "a:A"), CodeBounds},
		{"negative min", definitionJSON(`[{"rule":"pick","min":-1,"from":"A"}]`, "a:A"), CodeBounds},
		{"max below min", definitionJSON(`[{"rule":"pick","min":2,"max":1,"from":"A"}]`, "a:A", "b:A"), CodeBounds},
		{"count above the group", definitionJSON(`[{"rule":"pick","count":3,"from":"A"}]`, "a:A", "b:A"), CodeBounds},
		{"min above the nested", definitionJSON(`[{"rule":"pick","min":2,"from_nested":[{"rule":"all","from":"A"}]}]`, "a:A"), CodeBounds},
		{"nested too deep (requirements)", definitionJSON(deep, "a:A"), CodeRequirementsSize},
		{"too many requirements", definitionJSON(`[`+many+`]`, "a:A"), CodeRequirementsSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDefinition([]byte(tt.def))
			var de *DefinitionError
			if !errors.As(err, &de) || de.Code != tt.code || !errors.Is(err, ErrInvalidDefinition) {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
		})
	}
	// One level under the depth limit is accepted.
	ok := `[{"rule":"all","from":"A"}]`
	for range MaxRequirementDepth - 1 {
		ok = `[{"rule":"all","from_nested":` + ok + `}]`
	}
	mustParse(t, definitionJSON(ok, "a:A"))
}

// TestSelectRequirements: a submission answering a subset of the input descriptors is accepted when it
// meets the submission requirements and refused (ErrRequirement) when it does not.
func TestSelectRequirements(t *testing.T) {
	d := mustParse(t, range12)
	vcs := []string{vcJWT("a1", "did:key:i"), vcJWT("a2", "did:key:i"), vcJWT("a3", "did:key:i")}
	token := any(vpJWT(vcs...))
	sub := func(names ...string) *Submission {
		s := &Submission{ID: "s", DefinitionID: "def"}
		for _, n := range names {
			k := int(n[1] - '1')
			s.DescriptorMap = append(s.DescriptorMap, entry(n, "$", fmt.Sprintf("$.verifiableCredential[%d]", k)))
		}
		return s
	}
	for _, tt := range []struct {
		names []string
		err   error
	}{
		{[]string{"a2"}, nil},
		{[]string{"a1", "a3"}, nil},
		{[]string{"a1", "a2", "a3"}, ErrRequirement},
	} {
		m, err := Evaluate(d, sub(tt.names...), token, decodeJWT)
		if tt.err == nil && (err != nil || len(m) != len(tt.names)) || tt.err != nil && !errors.Is(err, tt.err) {
			t.Errorf("%v: %d matches, err = %v, want %v", tt.names, len(m), err, tt.err)
		}
	}
}
