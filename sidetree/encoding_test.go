package sidetree

import (
	"bytes"
	"encoding/base64"
	"testing"
)

// decodeBase64URLSpec is DecodeBase64URL's rule written plainly: every character base64url, a lone last
// character dropped (Node decodes it to nothing), trailing bits ignored.
func decodeBase64URLSpec(s string) ([]byte, bool) {
	if !IsBase64URL(s) {
		return nil, false
	}
	if len(s)%4 == 1 {
		s = s[:len(s)-1]
	}
	out, err := base64.RawURLEncoding.DecodeString(s)
	return out, err == nil
}

func checkDecodeBase64URL(t *testing.T, s string) {
	t.Helper()
	want, ok := decodeBase64URLSpec(s)
	got, err := DecodeBase64URL(s)
	if ok != (err == nil) || !bytes.Equal(got, want) {
		t.Errorf("DecodeBase64URL(%q) = %x, %v; want %x, accepted %v", s, got, err, want, ok)
	}
	if err != nil && CodeOf(err) != CodeEncoderValidateBase64UrlStringInputNotBase64UrlString {
		t.Errorf("DecodeBase64URL(%q): code %q", s, CodeOf(err))
	}
}

func TestDecodeBase64URL(t *testing.T) {
	for _, s := range []string{"", "A", "AA", "AAA", "AAAA", "AAAAA", "AAAA!", "AAAA=", "AA==", "AA=A", "AA\nAA",
		"AA\rAA", "AAAA\n", "\nAAA", "+/+/", "-_-_", "AB C", "QR", "QQ", "eyJhbGciOiJFUzI1NksifQ", "é", "AAAAé"} {
		checkDecodeBase64URL(t, s)
	}
}

func FuzzDecodeBase64URL(f *testing.F) {
	for _, s := range []string{"", "A", "AAAA!", "AA\nAA", "eyJhbGciOiJFUzI1NksifQ", "AA=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<12 {
			return
		}
		checkDecodeBase64URL(t, s)
	})
}
