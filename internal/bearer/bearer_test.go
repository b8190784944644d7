package bearer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http/httptest"
	"testing"
)

func TestParseHash(t *testing.T) {
	sum := sha256.Sum256([]byte("token"))
	if h, err := ParseHash(" " + hex.EncodeToString(sum[:]) + "\n"); err != nil || h != sum {
		t.Fatalf("got %x, %v", h, err)
	}
	empty := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if _, err := ParseHash(empty); !errors.Is(err, ErrEmptyToken) {
		t.Fatalf("the empty token's hash: %v, want ErrEmptyToken", err)
	}
	for _, bad := range []string{"", "xyz", hex.EncodeToString(sum[:16]), "\u00a0" + hex.EncodeToString(sum[:])} {
		if _, err := ParseHash(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestToken(t *testing.T) {
	tests := []struct {
		header string
		token  string
		ok     bool
	}{
		{"Bearer abc", "abc", true},
		{"bearer abc", "abc", true},
		{"BEARER abc", "abc", true},
		{"Bearer  abc \t", "abc", true},
		{"Bearer \u00a0", "\u00a0", true}, // a Unicode space is a (wrong) token, not the empty one
		{"Bearer ", "", false},
		{"Bearer \t ", "", false},
		{"Bearer", "", false},
		{"Basic abc", "", false},
		{"Bearerabc", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", tc.header)
		if token, ok := Token(r); token != tc.token || ok != tc.ok {
			t.Errorf("%q: got %q %v, want %q %v", tc.header, token, ok, tc.token, tc.ok)
		}
	}
}

func TestMatch(t *testing.T) {
	a, b := sha256.Sum256([]byte("a")), sha256.Sum256([]byte("b"))
	hashes := []Hash{a, b}
	for token, want := range map[string]bool{"a": true, "b": true, "c": false, "": false, "\u00a0": false} {
		if got := Match(token, hashes); got != want {
			t.Errorf("Match(%q) = %v, want %v", token, got, want)
		}
	}
	// Even a configured empty-token hash (ParseHash refuses it) never admits the empty token.
	if Match("", []Hash{sha256.Sum256(nil)}) {
		t.Error("the empty token matched")
	}
}
