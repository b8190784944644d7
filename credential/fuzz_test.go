package credential

import (
	"strings"
	"testing"
)

// FuzzParseCredential feeds arbitrary tokens to the JWS parser and the credential reader: they must
// fail cleanly, and what they accept must be internally consistent.
func FuzzParseCredential(f *testing.F) {
	f.Add("eyJhbGciOiJFUzI1NksiLCJraWQiOiJkaWQ6d2ViOmV4YW1wbGUuY29tI2tleS0xIiwidHlwIjoiSldUIn0.eyJpc3MiOiJkaWQ6d2ViOmV4YW1wbGUuY29tIiwic3ViIjoiZGlkOmtleTp6Nk1rIiwibmJmIjoxNzAwMDAwMDAwLCJ2YyI6eyJAY29udGV4dCI6WyJodHRwczovL3d3dy53My5vcmcvMjAxOC9jcmVkZW50aWFscy92MSJdLCJ0eXBlIjpbIlZlcmlmaWFibGVDcmVkZW50aWFsIl0sImNyZWRlbnRpYWxTdWJqZWN0Ijp7Im5hbWUiOiJBIn19fQ.AAAA")
	f.Add("a.b.c")
	f.Add("..")
	for _, seed := range []string{`{"alg":"EdDSA","typ":"vc+jwt","kid":"#k"}`, `{"alg":"none"}`} {
		f.Add(b64.EncodeToString([]byte(seed)) + "." + b64.EncodeToString([]byte(`{"issuer":{"id":"did:x:y"},"type":"VerifiableCredential","credentialSubject":[{"id":"a"},{}],"credentialStatus":[{"statusListIndex":5}],"validFrom":"2020-01-01T00:00:00Z"}`)) + ".sig")
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := parseToken(raw, Algorithms)
		if err != nil {
			if CodeOf(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		if !contains(Algorithms, tok.header.Alg) || strings.Count(raw, ".") != 2 {
			t.Fatalf("accepted alg %q", tok.header.Alg)
		}
		vc, parsed, err := readCredential(tok)
		if err != nil {
			if CodeOf(err) != CodeInvalidJWT {
				t.Fatalf("read error %v", err)
			}
			return
		}
		if vc.Issuer == "" || !contains(vc.Types, "VerifiableCredential") {
			t.Fatalf("accepted credential %+v", vc)
		}
		_ = checkCredentialClaims(parsed)
	})
}
