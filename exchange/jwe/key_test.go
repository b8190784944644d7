package jwe

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

func newKey(t testing.TB) *Key {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func encrypt(t testing.TB, pub jose.JSONWebKey, enc string, plain string) string {
	t.Helper()
	jwe, err := Encrypt(pub, enc, []byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	return jwe
}

// withHeader replaces the protected header of compact (the JWE no longer authenticates, but the
// header checks come first).
func withHeader(compact string, h map[string]any) string {
	b, _ := json.Marshal(h)
	_, rest, _ := strings.Cut(compact, ".")
	return base64.RawURLEncoding.EncodeToString(b) + "." + rest
}

func TestKeyRoundTrip(t *testing.T) {
	k := newKey(t)
	stored, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(stored), `"d":`) {
		t.Fatalf("stored key lacks its private part: %s", stored)
	}
	back, err := ParseKey(stored)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := json.Marshal(k.JWKS())
	if strings.Contains(string(pub), `"d":`) || !strings.Contains(string(pub), `"use":"enc"`) || !strings.Contains(string(pub), `"alg":"ECDH-ES"`) {
		t.Fatalf("offered key set %s", pub)
	}
	for _, enc := range DefaultEncs {
		plain, err := back.Decrypt(encrypt(t, k.Public(), enc, `{"vp_token":{}}`), nil)
		if err != nil || string(plain) != `{"vp_token":{}}` {
			t.Fatalf("%s: %q %v", enc, plain, err)
		}
	}
	if _, err := ParseKey([]byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`)); err == nil {
		t.Fatal("a public Ed25519 key parsed as an encryption key")
	}
}

func TestDecryptRefusals(t *testing.T) {
	k, other := newKey(t), newKey(t)
	good := encrypt(t, k.Public(), A128GCM, `{"state":"s"}`)
	parts := strings.Split(good, ".")
	flip := func(i int) string {
		p := append([]string(nil), parts...)
		b, _ := base64.RawURLEncoding.DecodeString(p[i])
		b[len(b)/2] ^= 1
		p[i] = base64.RawURLEncoding.EncodeToString(b)
		return strings.Join(p, ".")
	}
	hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var h map[string]any
	_ = json.Unmarshal(hdr, &h)
	with := func(name string, v any) string {
		m := map[string]any{}
		for k, x := range h {
			m[k] = x
		}
		if v == nil {
			delete(m, name)
		} else {
			m[name] = v
		}
		return withHeader(good, m)
	}
	anonymous := other.Public()
	anonymous.KeyID = ""
	tests := []struct {
		name string
		jwe  string
		encs []string
		want error
	}{
		{"tampered ciphertext", flip(3), nil, ErrDecrypt},
		{"tampered tag", flip(4), nil, ErrDecrypt},
		{"tampered header", with("apu", "eA"), nil, ErrDecrypt},
		{"encrypted to another key", encrypt(t, other.Public(), A128GCM, "{}"), nil, ErrWrongKey},
		{"encrypted to another key without kid", encrypt(t, anonymous, A128GCM, "{}"), nil, ErrDecrypt},
		{"enc not offered", encrypt(t, k.Public(), A256GCM, "{}"), []string{A128GCM}, ErrAlgorithm},
		{"CBC enc", encrypt(t, k.Public(), "A128CBC-HS256", "{}"), nil, ErrAlgorithm},
		{"key wrapping alg", with("alg", "ECDH-ES+A128KW"), nil, ErrAlgorithm},
		{"RSA alg", with("alg", "RSA-OAEP-256"), nil, ErrAlgorithm},
		{"compressed", with("zip", "DEF"), nil, ErrAlgorithm},
		{"no epk", with("epk", nil), nil, ErrDecrypt},
		{"four parts", strings.Join(parts[:4], "."), nil, ErrMalformed},
		{"header not base64", "%%%." + strings.Join(parts[1:], "."), nil, ErrMalformed},
		{"header not JSON", "bm90IGpzb24." + strings.Join(parts[1:], "."), nil, ErrMalformed},
		{"over the size limit", good + strings.Repeat("A", MaxBytes), nil, ErrMalformed},
		{"huge header", base64.RawURLEncoding.EncodeToString([]byte(`{"x":"`+strings.Repeat("a", 8<<10)+`"}`)) + ".a.b.c.d", nil, ErrMalformed},
		{"a JWS", "eyJhbGciOiJFUzI1NiJ9.e30.c2ln", nil, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain, err := k.Decrypt(tt.jwe, tt.encs)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %q, %v; want %v", plain, err, tt.want)
			}
		})
	}
}
