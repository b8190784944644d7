package sidetree

import (
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"github.com/multiformats/go-multihash"
)

func TestEncodeSHA256MultihashMatchesGoMultihash(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("x"), make([]byte, 1000)} {
		sum := sha256.Sum256(data)
		mh, err := multihash.Encode(sum[:], multihash.SHA2_256)
		if err != nil {
			t.Fatal(err)
		}
		var out [encodedSHA256MultihashLen]byte
		encodeSHA256Multihash(&out, data)
		if want := base64.RawURLEncoding.EncodeToString(mh); string(out[:]) != want {
			t.Errorf("%q: %s, want %s", data, out, want)
		}
	}
}

// TestEncodedSHA256MultihashShortcut checks that every string the shortcut accepts, the general decoding
// accepts too, over every first digest byte and spare-bit ending.
func TestEncodedSHA256MultihashShortcut(t *testing.T) {
	mh := append([]byte{0x12, 0x20}, make([]byte, 32)...)
	for b := range 256 {
		mh[2] = byte(b)
		s := base64.RawURLEncoding.EncodeToString(mh)
		for _, last := range []byte{'A', 'B', 'P', 'z', '-', '_'} {
			s := s[:len(s)-1] + string(last)
			if !isEncodedSHA256Multihash(s) {
				t.Fatalf("%s: shortcut refuses a SHA-256 multihash", s)
			}
			if err := validateMultihashDecoded(s, "x"); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
	}
	for _, s := range []string{"EiE" + string(make([]byte, 43)), "EhA", "", "EiAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.A"} {
		if isEncodedSHA256Multihash(s) {
			t.Errorf("%q: shortcut accepts it", s)
		}
	}
}

func FuzzEncodedSHA256MultihashShortcut(f *testing.F) {
	f.Add("EiBvBMmWS97tljFSXnmQHbfkGxDtOYXcpl_Pw5pFTWhefA")
	f.Add("EiEvBMmWS97tljFSXnmQHbfkGxDtOYXcpl_Pw5pFTWhefA")
	f.Fuzz(func(t *testing.T, s string) {
		if isEncodedSHA256Multihash(s) {
			if err := validateMultihashDecoded(s, "x"); err != nil {
				t.Fatalf("%q: shortcut accepts what decoding refuses: %v", s, err)
			}
		}
	})
}
