package jwe

import (
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/worktest"
)

func FuzzDecrypt(f *testing.F) {
	k := newKey(f)
	good := encrypt(f, k.Public(), A128GCM, `{"vp_token":{"q":["a.b.c"]},"state":"s"}`)
	for _, s := range []string{good, good[:len(good)-3], "a.b.c.d.e", "....", "", "eyJhbGciOiJFQ0RILUVTIn0.a.b.c.d",
		strings.Replace(good, ".", "..", 1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plain, err := k.Decrypt(s, nil)
		if err == nil && s != good && string(plain) == "" {
			t.Fatalf("an empty plaintext from %q", s)
		}
	})
}

// TestDecryptLinear: what decryption allocates grows linearly with the JWE (n and 2n give about
// twice as many bytes), for a large plaintext and for a large header.
func TestDecryptLinear(t *testing.T) {
	k := newKey(t)
	allocated := func(jwe string) float64 {
		return float64(worktest.Measure(5, func() {
			if _, err := k.Decrypt(jwe, nil); err != nil {
				t.Fatal(err)
			}
		}).Bytes)
	}
	const n = 64 << 10
	small := allocated(encrypt(t, k.Public(), A128GCM, strings.Repeat(`\"`, n)))
	large := allocated(encrypt(t, k.Public(), A128GCM, strings.Repeat(`\"`, 2*n)))
	if ratio := large / small; ratio < 1.5 || ratio > 2.5 {
		t.Errorf("%v bytes for n, %v for 2n (ratio %.2f), want about 2", small, large, ratio)
	}
}
