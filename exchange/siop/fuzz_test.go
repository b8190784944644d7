package siop

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/worktest"
)

func token(claims string) string {
	return "eyJhbGciOiJFZERTQSIsImtpZCI6ImRpZDprZXk6eiN6In0." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + "." +
		base64.RawURLEncoding.EncodeToString(make([]byte, 64))
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		token(`{"iss":"did:key:z","sub":"did:key:z","aud":"a","nonce":"n","iat":1,"exp":2}`),
		token(`{"iss":"did:key:z","sub":"did:key:z","aud":["a","b"],"iat":1.5,"exp":2e9}`),
		token(`{"iss":"x"}`), token(`[]`), "a.b.c", "", "..",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := Parse(s, nil)
		if err != nil {
			if CodeOf(err) != CodeInvalid {
				t.Fatalf("parse failure with code %q", CodeOf(err))
			}
			return
		}
		if tok.Subject == "" || len(tok.Audience) == 0 || !strings.HasPrefix(tok.Subject, "did:") {
			t.Fatalf("accepted %+v", tok)
		}
	})
}

// TestParseLinear: the bytes Parse allocates grow linearly with the token, for each hostile JSON shape
// in an unknown claim.
func TestParseLinear(t *testing.T) {
	worktest.EachShape(t, 256, 3, func(t *testing.T, n int, gen func(n int) string) {
		allocated := func(n int) float64 {
			s := token(`{"iss":"did:key:z","sub":"did:key:z","aud":"a","iat":1,"exp":2,"x":` + gen(n) + `}`)
			return float64(worktest.Measure(10, func() {
				if _, err := Parse(s, nil); err != nil {
					t.Fatal(err)
				}
			}).Bytes)
		}
		small, large := allocated(n), allocated(2*n)
		if ratio := large / small; ratio > 2.5 {
			t.Errorf("%v bytes for n, %v for 2n (ratio %.2f), want at most about 2", small, large, ratio)
		}
	})
}
