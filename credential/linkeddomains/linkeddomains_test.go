package linkeddomains

import "testing"

func TestNormalizeOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://Example.com":      "https://example.com",
		"https://example.com/":     "https://example.com",
		"https://example.com:8443": "https://example.com:8443",
		"http://example.com":       "",
		"https://example.com/path": "",
		"https://user@example.com": "",
		"https://example.com?q":    "",
		"example.com":              "",
	} {
		got, err := NormalizeOrigin(in)
		if got != want || (err == nil) != (want != "") {
			t.Errorf("NormalizeOrigin(%q) = %q, %v", in, got, err)
		}
	}
}

func TestParse(t *testing.T) {
	ok := `{"@context":"https://identity.foundation/.well-known/did-configuration/v1","linked_dids":["a.b.c",{"ld":"proof"}]}`
	c, err := Parse([]byte(ok))
	if err != nil || len(c.LinkedDIDs) != 1 || c.LinkedDIDs[0] != "a.b.c" {
		t.Fatalf("Parse = %+v, %v", c, err)
	}
	for _, bad := range []string{
		`{"@context":"https://example.com","linked_dids":["a.b.c"]}`,
		`{"@context":"https://identity.foundation/.well-known/did-configuration/v1","linked_dids":[]}`,
		`{"@context":"https://identity.foundation/.well-known/did-configuration/v1"}`,
		`[]`,
		``,
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%s) succeeded", bad)
		}
	}
}
