package sidetree

import (
	"encoding/base64"
	"strings"
	"testing"
)

// isBase64URLByByte is IsBase64URL written as the reference's regular expression reads: /^[A-Za-z0-9_-]+$/.
func isBase64URLByByte(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// decodeBase64URLByByte is DecodeBase64URL as the reference reads a string: checked character by
// character, then decoded by Node's lenient decoder (a lone last character and spare bits dropped).
func decodeBase64URLByByte(s string) ([]byte, bool) {
	if !isBase64URLByByte(s) {
		return nil, false
	}
	if len(s)%4 == 1 {
		s = s[:len(s)-1]
	}
	out, err := base64.RawURLEncoding.DecodeString(s)
	return out, err == nil
}

func TestIsBase64URLEveryByte(t *testing.T) {
	for c := 0; c < 256; c++ {
		for _, s := range []string{string(rune(c)), "AAAA" + string([]byte{byte(c)}), string([]byte{byte(c)}) + "AAAAAAAAAAAAAAA"} {
			if got, want := IsBase64URL(s), isBase64URLByByte(s); got != want {
				t.Errorf("IsBase64URL(%q) = %v, want %v", s, got, want)
			}
		}
	}
}

func TestDecodeBase64URL(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" with ok false: rejected
		ok   bool
	}{
		{"", "", false},
		{"QQ", "A", true},
		{"QR", "A", true},       // spare bits ignored, as Node does
		{"QUJD", "ABC", true},   // whole quantum
		{"QUJDR", "ABC", true},  // a lone last character decodes to nothing
		{"QUJD=", "", false},    // '=' is not base64url
		{"QUJD\n", "", false},   // Go's decoder would skip it; the reference rejects it
		{"QU\nJD", "", false},   // likewise inside
		{"QU\rJD", "", false},   // and '\r'
		{"QUJD\nQQ", "", false}, // a newline that makes a lone character look whole
		{"QUJD+", "", false},    // standard base64's characters are not base64url
		{"QUJ/", "", false},     // likewise
		{"QUJD\x00", "", false}, // a lone last character that is not base64url
		{"-_-_", "\xfb\xff\xbf", true},
		{"QUJDé", "", false}, // non-ASCII
	} {
		got, err := DecodeBase64URL(tc.in)
		if tc.ok != (err == nil) || string(got) != tc.want {
			t.Errorf("DecodeBase64URL(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && CodeOf(err) != CodeEncoderValidateBase64UrlStringInputNotBase64UrlString {
			t.Errorf("DecodeBase64URL(%q): code %q", tc.in, CodeOf(err))
		}
		if want, ok := decodeBase64URLByByte(tc.in); ok != (err == nil) || string(want) != string(got) {
			t.Errorf("DecodeBase64URL(%q) = %q, %v; the byte-by-byte reading gives %q, %v", tc.in, got, err, want, ok)
		}
	}
}

func FuzzDecodeBase64URL(f *testing.F) {
	for _, s := range []string{"", "QQ", "QUJDR", "QU\nJD", "QUJD=", "-_-_", strings.Repeat("Ei", 40) + "\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := DecodeBase64URL(s)
		want, ok := decodeBase64URLByByte(s)
		if ok != (err == nil) || string(got) != string(want) {
			t.Fatalf("DecodeBase64URL(%q) = %q, %v; the byte-by-byte reading gives %q, %v", s, got, err, want, ok)
		}
		if IsBase64URL(s) != isBase64URLByByte(s) {
			t.Fatalf("IsBase64URL(%q) = %v", s, IsBase64URL(s))
		}
	})
}
