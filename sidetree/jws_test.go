package sidetree

import "testing"

func TestParseCompactJWSHeaderRules(t *testing.T) {
	enc := func(s string) string { return EncodeBase64URL([]byte(s)) }
	sig := "c2ln"
	tests := []struct {
		header string
		code   Code
	}{
		{`{"alg":"ES256K"}`, ""},
		{`{"alg":"ES256K","kid":"x"}`, CodeJwsProtectedHeaderMissingOrUnknownProperty},
		{`{"alg":"EdDSA"}`, CodeJwsProtectedHeaderMissingOrIncorrectAlg},
		{`{}`, CodeJwsProtectedHeaderMissingOrUnknownProperty},
		{`"a"`, CodeJwsProtectedHeaderMissingOrIncorrectAlg}, // Object.keys("a") has one entry
		{`"ab"`, CodeJwsProtectedHeaderMissingOrUnknownProperty},
		{`["ES256K"]`, CodeJwsProtectedHeaderMissingOrIncorrectAlg},
		{`5`, CodeJwsProtectedHeaderMissingOrUnknownProperty},
		{`null`, CodeInvalidJSON},
		{`{`, CodeInvalidJSON},
	}
	for _, tc := range tests {
		_, err := ParseCompactJWS(String(enc(tc.header) + "." + enc(`{}`) + "." + sig))
		if CodeOf(err) != tc.code {
			t.Errorf("header %s: code %q, want %q (%v)", tc.header, CodeOf(err), tc.code, err)
		}
	}
	for _, bad := range []string{"a.b", "a.b.c.d", enc(`{"alg":"ES256K"}`) + ".e30.+/"} {
		if _, err := ParseCompactJWS(String(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	if _, err := ParseCompactJWS(Number(1)); CodeOf(err) != CodeJwsCompactJwsNotString {
		t.Errorf("non-string JWS: %v", err)
	}
}
