package jwe

import (
	"encoding/json"
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

func FuzzOffered(f *testing.F) {
	k := newKey(f)
	pub, _ := json.Marshal(k.JWKS())
	for _, s := range []string{string(pub), `{"keys":[]}`, `{"keys":[{"kty":"EC","crv":"P-256"}]}`, `{"keys":[{"kty":"OKP","crv":"X25519","x":"AA"}]}`, `[]`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		key, enc, err := Offered(b, nil)
		if err != nil {
			return
		}
		if enc != A128GCM || key.Key == nil || !key.Valid() {
			t.Fatalf("offered %+v %s", key, enc)
		}
		if _, err := Encrypt(key, enc, []byte("x")); err != nil {
			t.Fatalf("an accepted key does not encrypt: %v", err)
		}
	})
}

// TestOfferedLinear: reading the offered keys costs work linear in hostile JSON inside a key.
func TestOfferedLinear(t *testing.T) {
	worktest.EachShape(t, 2000, 10, func(t *testing.T, n int, gen func(n int) string) {
		worktest.Linear(t, n, func(n int) []byte { return []byte(`{"keys":[{"kty":"EC","x":` + gen(n) + `}]}`) }, func(in []byte) { _, _, _ = Offered(in, nil) })
	})
}
