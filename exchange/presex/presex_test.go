package presex

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParsePath(t *testing.T) {
	tests := []struct {
		path string
		doc  string
		want string // JSON of the value; "" = names nothing
		err  bool
	}{
		{"$", `"x"`, `"x"`, false},
		{"$[1]", `["a","b"]`, `"b"`, false},
		{"$[2]", `["a","b"]`, "", false},
		{"$.verifiableCredential[0]", `{"verifiableCredential":["v"]}`, `"v"`, false},
		{"$.vp.verifiableCredential[0]", `{"vp":{"verifiableCredential":["v"]}}`, `"v"`, false},
		{"$['vc']['type']", `{"vc":{"type":["A"]}}`, `["A"]`, false},
		{`$["vc"].type[0]`, `{"vc":{"type":["A"]}}`, `"A"`, false},
		{"$.a", `["a"]`, "", false},
		{"$[0]", `{"0":1}`, "", false},
		{"", "", "", true},
		{"vc.type", "", "", true},
		{"$..type", "", "", true},
		{"$.*", "", "", true},
		{"$[*]", "", "", true},
		{"$[0:2]", "", "", true},
		{"$[?(@.a)]", "", "", true},
		{"$[01]", "", "", true},
		{"$[1234567]", "", "", true},
		{"$['a\\'b']", "", "", true},
		{"$['a'", "", "", true},
		{"$.", "", "", true},
		{"$" + strings.Repeat(".a", 200), "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p, err := ParsePath(tt.path)
			if tt.err {
				if !errors.Is(err, ErrPath) {
					t.Fatalf("err = %v, want ErrPath", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var doc any
			if err := json.Unmarshal([]byte(tt.doc), &doc); err != nil {
				t.Fatal(err)
			}
			v, ok := p.Eval(doc)
			got := ""
			if ok {
				b, _ := json.Marshal(v)
				got = string(b)
			}
			if got != tt.want {
				t.Fatalf("Eval = %s, want %s", got, tt.want)
			}
		})
	}
}

// fakeJWT is an unsigned compact JWT of claims: Evaluate never checks signatures.
func fakeJWT(claims any) string {
	b, _ := json.Marshal(claims)
	return "eyJhbGciOiJFZERTQSJ9." + base64.RawURLEncoding.EncodeToString(b) + ".c2ln"
}

func decodeJWT(jwt string) (map[string]any, error) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

func vcJWT(typ, iss string) string {
	return fakeJWT(map[string]any{"iss": iss, "vc": map[string]any{"type": []string{"VerifiableCredential", typ}}})
}

func vpJWT(vcs ...string) string {
	return fakeJWT(map[string]any{"iss": "did:key:holder", "vp": map[string]any{"type": []string{"VerifiablePresentation"}, "verifiableCredential": vcs}})
}

func entry(id, path, nested string) Descriptor {
	return Descriptor{ID: id, Format: FormatJWTVPJSON, Path: path, PathNested: &Descriptor{ID: id, Format: FormatJWTVCJSON, Path: nested}}
}

func TestEvaluate(t *testing.T) {
	def := Build("def-1", "prove employment", []string{"ES256K", "EdDSA"}, []Requirement{
		{Type: "VerifiedEmployee", Issuers: []string{"did:web:contoso.example"}},
		{Type: "Badge"},
	})
	emp, badge := vcJWT("VerifiedEmployee", "did:web:contoso.example"), vcJWT("Badge", "did:web:anyone.example")
	oneVP := vpJWT(emp, badge)
	tests := []struct {
		name  string
		token any
		sub   Submission
		err   error
	}{
		{"one VP, both credentials", oneVP, Submission{ID: "s", DefinitionID: "def-1", DescriptorMap: []Descriptor{
			entry("credential_0", "$", "$.verifiableCredential[0]"), entry("credential_1", "$", "$.vp.verifiableCredential[1]")}}, nil},
		{"two VPs in an array", []any{vpJWT(badge), vpJWT(emp)}, Submission{ID: "s", DefinitionID: "def-1", DescriptorMap: []Descriptor{
			entry("credential_0", "$[1]", "$.verifiableCredential[0]"), entry("credential_1", "$[0]", "$.verifiableCredential[0]")}}, nil},
		{"another definition", oneVP, Submission{ID: "s", DefinitionID: "def-2", DescriptorMap: []Descriptor{
			entry("credential_0", "$", "$.verifiableCredential[0]")}}, ErrDefinition},
		{"unknown descriptor", oneVP, Submission{ID: "s", DefinitionID: "def-1", DescriptorMap: []Descriptor{
			entry("credential_9", "$", "$.verifiableCredential[0]")}}, ErrDefinition},
		{"a descriptor unanswered", oneVP, Submission{ID: "s", DefinitionID: "def-1", DescriptorMap: []Descriptor{
			entry("credential_0", "$", "$.verifiableCredential[0]")}}, ErrUnanswered},
		{"wrong type at the path", oneVP, Submission{ID: "s", DefinitionID: "def-1", DescriptorMap: []Descriptor{
			entry("credential_0", "$", "$.verifiableCredential[1]"), entry("credential_1", "$", "$.verifiableCredential[1]")}}, ErrConstraint},
		{"issuer not accepted", vpJWT(vcJWT("VerifiedEmployee", "did:web:evil.example"), badge), Submission{ID: "s", DefinitionID: "def-1", DescriptorMap: []Descriptor{
			entry("credential_0", "$", "$.verifiableCredential[0]"), entry("credential_1", "$", "$.verifiableCredential[1]")}}, ErrConstraint},
		{"path past the end", oneVP, Submission{ID: "s", DefinitionID: "def-1", DescriptorMap: []Descriptor{
			entry("credential_0", "$", "$.verifiableCredential[5]"), entry("credential_1", "$", "$.verifiableCredential[1]")}}, ErrNotFound},
		{"path at a non-JWT", oneVP, Submission{ID: "s", DefinitionID: "def-1", DescriptorMap: []Descriptor{
			entry("credential_0", "$", "$.iss"), entry("credential_1", "$", "$.verifiableCredential[1]")}}, ErrNotFound},
		{"a bare credential, no presentation", emp, Submission{ID: "s", DefinitionID: "def-1", DescriptorMap: []Descriptor{
			{ID: "credential_0", Format: FormatJWTVCJSON, Path: "$"}}}, ErrFormat},
		{"presentation without path_nested", oneVP, Submission{ID: "s", DefinitionID: "def-1", DescriptorMap: []Descriptor{
			{ID: "credential_0", Format: FormatJWTVP, Path: "$"}}}, ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := json.Marshal(tt.sub)
			sub, err := ParseSubmission(b)
			if err != nil {
				t.Fatal(err)
			}
			var token any
			tb, _ := json.Marshal(tt.token)
			_ = json.Unmarshal(tb, &token)
			m, err := Evaluate(&def, sub, token, decodeJWT)
			if done(t, err, tt.err) {
				return
			}
			if len(m) != 2 || m[0].DescriptorID != "credential_0" || m[0].Credential["iss"] != "did:web:contoso.example" {
				t.Fatalf("matches %+v", m)
			}
		})
	}
}

func TestParseSubmissionRefusals(t *testing.T) {
	nested := func(levels int) string {
		s := `{"id":"c","format":"jwt_vc_json","path":"$"}`
		for range levels {
			s = `{"id":"c","format":"jwt_vp_json","path":"$","path_nested":` + s + `}`
		}
		return `{"id":"s","definition_id":"d","descriptor_map":[` + s + `]}`
	}
	for name, body := range map[string]string{
		"not JSON":          `{`,
		"no definition_id":  `{"id":"s","descriptor_map":[{"id":"c","format":"jwt_vp","path":"$"}]}`,
		"empty map":         `{"id":"s","definition_id":"d","descriptor_map":[]}`,
		"too many entries":  `{"id":"s","definition_id":"d","descriptor_map":[` + strings.Repeat(`{"id":"c","format":"f","path":"$"},`, MaxDescriptors) + `{"id":"c","format":"f","path":"$"}]}`,
		"bad path":          `{"id":"s","definition_id":"d","descriptor_map":[{"id":"c","format":"jwt_vp","path":"$..vc"}]}`,
		"no format":         `{"id":"s","definition_id":"d","descriptor_map":[{"id":"c","path":"$"}]}`,
		"nested too deep":   nested(2),
		"deeply nested":     strings.Repeat(`{"a":`, 20) + "1" + strings.Repeat("}", 20),
		"over the size cap": `{"id":"` + strings.Repeat("a", MaxSubmissionBytes) + `"}`,
	} {
		if _, err := ParseSubmission([]byte(body)); !errors.Is(err, ErrSubmission) {
			t.Errorf("%s: err = %v, want ErrSubmission", name, err)
		}
	}
	if _, err := ParseSubmission([]byte(nested(1))); err != nil {
		t.Fatalf("one level of path_nested: %v", err)
	}
}

func TestFilter(t *testing.T) {
	tests := []struct {
		f    Filter
		v    any
		want bool
	}{
		{Filter{Type: "string", Const: "a"}, "a", true},
		{Filter{Type: "string", Const: "a"}, "b", false},
		{Filter{Type: "string"}, 1.0, false},
		{Filter{Enum: []string{"x", "y"}}, "y", true},
		{Filter{Enum: []string{"x", "y"}}, "z", false},
		{Filter{Pattern: "^did:web:"}, "did:web:a", true},
		{Filter{Pattern: "^did:web:"}, "did:key:a", false},
		{Filter{Pattern: "("}, "x", false},
		{Filter{Type: "array", Contains: &Filter{Const: "T"}}, []any{"A", "T"}, true},
		{Filter{Type: "array", Contains: &Filter{Const: "T"}}, []any{"A"}, false},
		{Filter{Contains: &Filter{Const: "T"}}, "T", false},
		{Filter{Type: "object"}, map[string]any{}, true},
		{Filter{Type: "boolean"}, true, true},
		{Filter{Type: "null"}, nil, true},
		{Filter{Type: "number"}, 2.0, true},
	}
	for i, tt := range tests {
		if got := tt.f.Accepts(tt.v); got != tt.want {
			t.Errorf("%d: %+v accepts %v = %v", i, tt.f, tt.v, got)
		}
	}
	var none *Filter
	if !none.Accepts("anything") {
		t.Error("a missing filter refuses")
	}
}

// done fails t unless err is want (or nil when want is), and reports whether the case ends here: an
// error was wanted.
func done(t *testing.T, err, want error) bool {
	t.Helper()
	if want != nil {
		if !errors.Is(err, want) {
			t.Fatalf("err = %v, want %v", err, want)
		}
		return true
	}
	if err != nil {
		t.Fatal(err)
	}
	return false
}
