package dcql

import (
	"errors"
	"strings"
	"testing"
)

// exampleQuery asks for a PID or, failing that, a passport and a utility bill, optionally with a
// loyalty card; the PID with either a full address or just a postcode (as OpenID4VP 1.0 §7.4's
// examples combine credential_sets and claim_sets).
const exampleQuery = `{
 "credentials": [
  {"id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://example.com/pid"]},
   "claims": [{"id": "given", "path": ["given_name"]}, {"id": "street", "path": ["address", "street_address"]},
              {"id": "postcode", "path": ["address", "postal_code"]}],
   "claim_sets": [["given", "street"], ["given", "postcode"]]},
  {"id": "passport", "format": "jwt_vc_json", "meta": {"type_values": [["VerifiableCredential", "Passport"]]}},
  {"id": "bill", "format": "jwt_vc_json", "meta": {"type_values": [["UtilityBill"]]},
   "claims": [{"path": ["credentialSubject", "country"], "values": ["DE", "FR"]}]},
  {"id": "loyalty", "format": "jwt_vc_json", "multiple": true, "meta": {"type_values": [["Loyalty"]]}}
 ],
 "credential_sets": [
  {"options": [["pid"], ["passport", "bill"]]},
  {"options": [["loyalty"]], "required": false}
 ]
}`

func TestParse(t *testing.T) {
	q, err := Parse([]byte(exampleQuery))
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Credentials) != 4 || len(q.CredentialSets) != 2 || !q.CredentialSets[0].IsRequired() || q.CredentialSets[1].IsRequired() {
		t.Fatalf("parsed %+v", q)
	}
	if !q.Credentials[3].Multiple || len(q.Credentials[0].ClaimSets) != 2 || q.Credentials[2].Claims[0].Values[1] != "FR" {
		t.Fatalf("parsed %+v", q.Credentials)
	}
}

func TestParseRefuses(t *testing.T) {
	cred := func(extra string) string {
		return `{"credentials":[{"id":"a","format":"jwt_vc_json","meta":{}` + extra + `}]}`
	}
	many := func(n int, item string) string {
		return strings.TrimSuffix(strings.Repeat(item+",", n), ",")
	}
	tests := []struct{ name, query string }{
		{"not JSON", `{`},
		{"no credentials", `{"credentials":[]}`},
		{"too many credentials", `{"credentials":[` + many(MaxCredentials+1, `{"id":"a","format":"f","meta":{}}`) + `]}`},
		{"no id", `{"credentials":[{"format":"f","meta":{}}]}`},
		{"bad id", `{"credentials":[{"id":"a b","format":"f","meta":{}}]}`},
		{"long id", `{"credentials":[{"id":"` + strings.Repeat("a", 65) + `","format":"f","meta":{}}]}`},
		{"duplicate id", `{"credentials":[{"id":"a","format":"f","meta":{}},{"id":"a","format":"f","meta":{}}]}`},
		{"no format", `{"credentials":[{"id":"a","meta":{}}]}`},
		{"empty claims", cred(`,"claims":[]`)},
		{"bad path", cred(`,"claims":[{"path":[]}]`)},
		{"empty values", cred(`,"claims":[{"path":["a"],"values":[]}]`)},
		{"object value", cred(`,"claims":[{"path":["a"],"values":[{}]}]`)},
		{"null value", cred(`,"claims":[{"path":["a"],"values":[null]}]`)},
		{"fraction value", cred(`,"claims":[{"path":["a"],"values":[1.5]}]`)},
		{"claim_sets without claims", cred(`,"claim_sets":[["x"]]`)},
		{"claim_sets, claim without id", cred(`,"claims":[{"path":["a"]}],"claim_sets":[["x"]]`)},
		{"claim_sets naming an unknown claim", cred(`,"claims":[{"id":"x","path":["a"]}],"claim_sets":[["y"]]`)},
		{"empty claim set", cred(`,"claims":[{"id":"x","path":["a"]}],"claim_sets":[[]]`)},
		{"empty claim_sets", cred(`,"claims":[{"id":"x","path":["a"]}],"claim_sets":[]`)},
		{"duplicate claim id", cred(`,"claims":[{"id":"x","path":["a"]},{"id":"x","path":["b"]}]`)},
		{"empty credential_sets", `{"credentials":[{"id":"a","format":"f","meta":{}}],"credential_sets":[]}`},
		{"empty options", `{"credentials":[{"id":"a","format":"f","meta":{}}],"credential_sets":[{"options":[]}]}`},
		{"no options", `{"credentials":[{"id":"a","format":"f","meta":{}}],"credential_sets":[{"required":true}]}`},
		{"empty option", `{"credentials":[{"id":"a","format":"f","meta":{}}],"credential_sets":[{"options":[[]]}]}`},
		{"unknown id in option", `{"credentials":[{"id":"a","format":"f","meta":{}}],"credential_sets":[{"options":[["b"]]}]}`},
		{"too many sets", `{"credentials":[{"id":"a","format":"f","meta":{}}],"credential_sets":[` + many(MaxCredentialSets+1, `{"options":[["a"]]}`) + `]}`},
		{"too many values", cred(`,"claims":[{"path":["a"],"values":[` + many(MaxValues+1, `1`) + `]}]`)},
		{"too deep", `{"credentials":[[[[[[[[[[]]]]]]]]]]}`},
		{"too big", `{"credentials":[],"x":"` + strings.Repeat("x", MaxQueryBytes) + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse([]byte(tt.query)); !errors.Is(err, ErrQuery) && !errors.Is(err, ErrClaimsPath) {
				t.Fatalf("err %v, want ErrQuery", err)
			}
		})
	}
}

func TestMatchMeta(t *testing.T) {
	m := Meta{TypeValues: [][]string{{"VerifiableCredential", "Passport"}, {"IDCard"}}, VCTValues: []string{"urn:a"}}
	tests := []struct {
		types []string
		want  bool
	}{
		{[]string{"VerifiableCredential", "Passport"}, true},
		{[]string{"Passport"}, false},
		{[]string{"VerifiableCredential", "IDCard"}, true},
		{nil, false},
	}
	for _, tt := range tests {
		if got := m.MatchTypes(tt.types); got != tt.want {
			t.Errorf("MatchTypes(%v) = %v", tt.types, got)
		}
	}
	if !m.MatchVCT("urn:a") || m.MatchVCT("urn:b") || !(Meta{}).MatchVCT("urn:b") || !(Meta{}).MatchTypes(nil) {
		t.Error("MatchVCT")
	}
}
