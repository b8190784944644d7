package sidetree

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestAppendStringWordAtATime writes strings long enough for the eight-byte skip and compares them with
// writing their pieces one at a time (each shorter than eight bytes, so written byte by byte).
func TestAppendStringWordAtATime(t *testing.T) {
	pieces := []string{"a", "Z", "~", " ", "\x7f", "\"", "\\", "\n", "\x00", "\x1f", "é", "€", "😀", "\xed\xa0\x80", "\xed\x9f\xbf", "\xff", "/", "<"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var whole strings.Builder
		want := []byte{'"'}
		for range rng.IntN(40) {
			p := pieces[rng.IntN(len(pieces))]
			if rng.IntN(3) > 0 {
				p = "plain" // mostly plain runs, as in documents
			}
			whole.WriteString(p)
			one := appendString(nil, p)
			want = append(want, one[1:len(one)-1]...)
		}
		want = append(want, '"')
		if got := appendString(nil, whole.String()); string(got) != string(want) {
			t.Fatalf("%q: %s, want %s", whole.String(), got, want)
		}
	}
}

func TestMayNeedEscape(t *testing.T) {
	for c := range 256 {
		word := []byte("abcdefgh")
		for at := range 8 {
			w := append([]byte(nil), word...)
			w[at] = byte(c)
			want := c < 0x20 || c == '"' || c == '\\' || c == 0xED
			if got := mayNeedEscape(string(w)); got != want {
				t.Fatalf("byte %#x at %d: %v, want %v", c, at, got, want)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200000 { // random words: the borrows of one byte must not hide another's
		var w [8]byte
		want := false
		for i := range w {
			w[i] = byte(rng.Uint32())
			if rng.IntN(4) == 0 {
				w[i] &= 0x3f
			}
			want = want || w[i] < 0x20 || w[i] == '"' || w[i] == '\\' || w[i] == 0xED
		}
		if got := mayNeedEscape(string(w[:])); got != want {
			t.Fatalf("%x: %v, want %v", w, got, want)
		}
	}
}
