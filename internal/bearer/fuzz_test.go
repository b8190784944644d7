package bearer

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzToken: whatever the Authorization header, an accepted token is non-empty and has no ASCII
// whitespace around it, and a header of the empty token's hash never matches.
func FuzzToken(f *testing.F) {
	for _, s := range []string{"Bearer abc", "bearer \u00a0", "Bearer ", "Bearer \t\v\f", "Basic x", "BEARER\tx", ""} {
		f.Add(s)
	}
	empty := []Hash{emptyHash}
	f.Fuzz(func(t *testing.T, header string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header["Authorization"] = []string{header}
		token, ok := Token(r)
		if ok != (token != "") {
			t.Fatalf("%q: token %q, ok %v", header, token, ok)
		}
		if ok && strings.Trim(token, asciiSpace) != token {
			t.Fatalf("%q: token %q keeps ASCII whitespace", header, token)
		}
		if ok && Match(token, empty) {
			t.Fatalf("%q: a non-empty token matched the empty token's hash", header)
		}
	})
}
