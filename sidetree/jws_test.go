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

// TestES256KHeaderConstant guards the header that checkProtectedHeader passes without decoding: it must be
// the header the slow path accepts, and nothing else may skip the slow path.
func TestES256KHeaderConstant(t *testing.T) {
	if got := EncodeBase64URL([]byte(`{"alg":"ES256K"}`)); got != es256kHeader {
		t.Fatalf("es256kHeader is %q, want %q", es256kHeader, got)
	}
	// The same header encoded with trailing bits set decodes alike but is not the constant.
	if err := checkProtectedHeader(es256kHeader[:len(es256kHeader)-1] + "R"); err != nil {
		t.Errorf("header with trailing bits: %v", err)
	}
	for _, bad := range []string{"", "eyJhbGciOiJFUzI1NksifQ=", "eyJhbGciOiJFUzI1NiJ9"} {
		if err := checkProtectedHeader(bad); err == nil {
			t.Errorf("header %q accepted", bad)
		}
	}
}
