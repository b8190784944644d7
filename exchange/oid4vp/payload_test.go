package oid4vp

import (
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/worktest"
)

func FuzzParseEncryptedPayload(f *testing.F) {
	for _, s := range []string{
		`{"vp_token":{"credential_0":["a.b.c"]},"state":"s"}`, `{"vp_token":"{\"q\":\"a.b.c\"}","id_token":"x.y.z","state":"s"}`,
		`{"id_token":"x.y.z"}`, `{}`, `[]`, `{"vp_token":null}`, `{"state":1}`, strings.Repeat(`{"a":`, 20),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		resp, err := ParseEncryptedPayload(b)
		if err != nil {
			return
		}
		if resp.Encrypted != "" || len(resp.VPToken) > len(b) {
			t.Fatalf("parsed %q into %+v", b, resp)
		}
		_, _ = ParseVPToken(resp.VPToken) // must not panic
	})
}

// TestParseEncryptedPayloadLinear: the bytes the payload parser allocates grow linearly with the
// payload, for each hostile JSON shape as the vp_token and as an unknown member.
func TestParseEncryptedPayloadLinear(t *testing.T) {
	worktest.EachShape(t, 8<<10, 3, func(t *testing.T, n int, gen func(n int) string) {
		for _, where := range []string{`{"state":"s","vp_token":%s}`, `{"state":"s","x":%s}`} {
			allocated := func(n int) float64 {
				b := []byte(strings.Replace(where, "%s", gen(n), 1))
				return float64(worktest.Measure(10, func() {
					if _, err := ParseEncryptedPayload(b); err != nil {
						t.Fatal(err)
					}
				}).Bytes)
			}
			small, large := allocated(n), allocated(2*n)
			if ratio := large / small; ratio > 2.5 {
				t.Errorf("%s: %v bytes for n, %v for 2n (ratio %.2f), want at most about 2", where, small, large, ratio)
			}
		}
	})
}
