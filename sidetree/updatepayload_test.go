package sidetree

import (
	"strings"
	"testing"
)

// plainUpdatePayload writes an update payload as ION's writers do, with x, y and the delta hash given.
func plainUpdatePayload(x, y, deltaHash string) string {
	return `{"updateKey":{"kty":"EC","crv":"secp256k1","x":"` + x + `","y":"` + y + `"},"deltaHash":"` + deltaHash + `"}`
}

var (
	plainX     = strings.Repeat("x", 42) + "A"
	plainY     = "_-" + strings.Repeat("Y", 41)
	plainDelta = "EiD" + strings.Repeat("d", 43)
)

// generalUpdateValid is the general path: the payload parsed as a tree, then checked.
func generalUpdateValid(j JWS) (Value, bool) {
	v, err := j.PayloadValue()
	return v, err == nil && ValidateUpdateSignedData(v) == nil
}

// TestPlainUpdateValid: the plain form is recognized, and every variation of it is left to the general
// path (which accepts some of them: the shortcut only ever agrees with it).
func TestPlainUpdateValid(t *testing.T) {
	plain := plainUpdatePayload(plainX, plainY, plainDelta)
	for _, tc := range []struct {
		name    string
		payload string // as encoded in the JWS
		want    bool
	}{
		{"plain", EncodeBase64URL([]byte(plain)), true},
		{"members swapped", EncodeBase64URL([]byte(`{"deltaHash":"` + plainDelta + `","updateKey":{"kty":"EC","crv":"secp256k1","x":"` + plainX + `","y":"` + plainY + `"}}`)), false},
		{"white space", EncodeBase64URL([]byte(strings.Replace(plain, `,"deltaHash"`, `, "deltaHash"`, 1))), false},
		{"delta hash of another multihash", EncodeBase64URL([]byte(plainUpdatePayload(plainX, plainY, "EiE"+strings.Repeat("d", 43)))), false},
		{"short x", EncodeBase64URL([]byte(plainUpdatePayload(plainX[1:]+"=", plainY, plainDelta))), false},
		{"escaped y", EncodeBase64URL([]byte(plainUpdatePayload(plainX, `\u0041`+plainY[6:], plainDelta))), false},
		{"y not base64url", EncodeBase64URL([]byte(plainUpdatePayload(plainX, "+"+plainY[1:], plainDelta))), false},
		{"padded", EncodeBase64URL([]byte(plain)) + "=", false},
		{"line break", EncodeBase64URL([]byte(plain))[:8] + "\n" + EncodeBase64URL([]byte(plain))[8:], false},
		{"longer", EncodeBase64URL([]byte(plain + " ")), false},
		{"empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r PayloadReader
			j := JWS{Payload: tc.payload}
			got := r.PlainUpdateValid(j)
			if got != tc.want {
				t.Fatalf("PlainUpdateValid = %v, want %v", got, tc.want)
			}
			if _, general := generalUpdateValid(j); got && !general {
				t.Fatal("the shortcut accepts a payload the general path refuses")
			}
		})
	}
}

// FuzzPlainUpdateValid: whatever the shortcut accepts, the general path accepts as the same object.
func FuzzPlainUpdateValid(f *testing.F) {
	f.Add(EncodeBase64URL([]byte(plainUpdatePayload(plainX, plainY, plainDelta))))
	f.Add(EncodeBase64URL([]byte(plainUpdatePayload(plainX, plainY, "EiE"+strings.Repeat("d", 43)))))
	f.Add(EncodeBase64URL([]byte(plainUpdatePayload(plainX, `\u0041`+plainY[6:], plainDelta))))
	f.Fuzz(func(t *testing.T, payload string) {
		var r PayloadReader
		j := JWS{Payload: payload}
		if !r.PlainUpdateValid(j) {
			return
		}
		v, ok := generalUpdateValid(j)
		if !ok {
			t.Fatalf("payload %q: the shortcut accepts what the general path refuses", payload)
		}
		// What PlainUpdateValid read is what the tree holds, written back the same way.
		raw, err := DecodeBase64URL(payload)
		if err != nil || string(v.Stringify()) != string(raw) {
			t.Fatalf("payload %q: the tree %s is not the text %q (%v)", payload, v.Stringify(), raw, err)
		}
	})
}

// TestPlainUpdateValidBounded: the shortcut allocates nothing (it decodes into the reader's block and
// gives the memory back), and a payload of any other length is refused before it is decoded: checking n
// and 2n bytes costs the same (allocations and work counted, not time).
func TestPlainUpdateValidBounded(t *testing.T) {
	var r PayloadReader
	plain := JWS{Payload: EncodeBase64URL([]byte(plainUpdatePayload(plainX, plainY, plainDelta)))}
	r.PlainUpdateValid(plain) // the reader's first block
	if n := testing.AllocsPerRun(20, func() {
		if !r.PlainUpdateValid(plain) {
			t.Fatal("plain payload refused")
		}
	}); n != 0 {
		t.Errorf("%v allocations per plain payload, want 0", n)
	}
	if len(r.buf) != 0 {
		t.Errorf("the reader's block holds %d bytes after the shortcut, want 0", len(r.buf))
	}
	for _, n := range []int{1 << 16, 1 << 17} {
		long := JWS{Payload: strings.Repeat("e", n)}
		before := len(r.buf)
		if r.PlainUpdateValid(long) || len(r.buf) != before {
			t.Fatalf("%d-character payload: read", n)
		}
	}
}

// FuzzPlainUpdateJWS: whatever the shortcut accepts, ParseCompactJWS reads as the same JWS, and its
// payload passes the general path.
func FuzzPlainUpdateJWS(f *testing.F) {
	payload := EncodeBase64URL([]byte(plainUpdatePayload(plainX, plainY, plainDelta)))
	sig := strings.Repeat("s", 86)
	f.Add(es256kHeader + "." + payload + "." + sig)
	f.Add(es256kHeader + "." + payload + "." + sig + ".")
	f.Add(es256kHeader + "." + payload + ".")
	f.Add(EncodeBase64URL([]byte(`{"alg":"ES256K" }`)) + "." + payload + "." + sig)
	f.Add(es256kHeader + "." + payload + "." + sig[1:] + "+")
	f.Fuzz(func(t *testing.T, compact string) {
		var r PayloadReader
		got, ok := r.PlainUpdateJWS(String(compact))
		if !ok {
			return
		}
		want, err := ParseCompactJWS(String(compact))
		if err != nil || got != want {
			t.Fatalf("%q: the shortcut reads %+v, ParseCompactJWS %+v (%v)", compact, got, want, err)
		}
		if _, valid := generalUpdateValid(want); !valid {
			t.Fatalf("%q: the shortcut accepts a payload the general path refuses", compact)
		}
	})
}
