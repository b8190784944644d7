package sidetree

import (
	"errors"
	"strings"
	"testing"
)

// TestParseDIDLongFormRejects covers the checks of a long-form DID's initial state that ParseDID makes
// without repeating the work parsing already did (the suffix against the computed one, the encoding
// against the canonical form).
func TestParseDIDLongFormRejects(t *testing.T) {
	didVec := sidetreeVector(t, "resolution", "did.json")
	long, _ := field(didVec, "longFormDid").Str()
	prefix := "did:sidetree:"
	cut := strings.LastIndex(long, ":")
	suffix, encoded := long[len(prefix):cut], long[cut+1:]
	initial, err := DecodeBase64URL(encoded)
	if err != nil {
		t.Fatal(err)
	}
	other := HashThenEncode([]byte("another suffix data"))
	spaced := strings.Replace(string(initial), ":", " :", 1) // same JSON, not JCS
	tests := []struct {
		name string
		did  string
		want Code
	}{
		{"another valid suffix", prefix + other + ":" + encoded, CodeDidUniqueSuffixFromInitialStateMismatch},
		{"suffix one character short", prefix + suffix[:len(suffix)-1] + ":" + encoded, CodeDidUniqueSuffixFromInitialStateMismatch},
		{"initial state not canonical", prefix + suffix + ":" + EncodeBase64URL([]byte(spaced)), CodeDidInitialStateJcsIsNotJcs},
		{"initial state not JSON", prefix + suffix + ":" + EncodeBase64URL(initial[:len(initial)-1]), CodeDidInitialStateJcsIsNotJson},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDID(tc.did, "sidetree", Mainnet().Latest())
			var e *Error
			if !errors.As(err, &e) || e.Code != tc.want {
				t.Fatalf("ParseDID error %v, want code %s", err, tc.want)
			}
		})
	}
	if _, err := ParseDID(long, "sidetree", Mainnet().Latest()); err != nil {
		t.Fatalf("the vector itself: %v", err)
	}
}

// TestIsCanonicalBase64URL compares with re-encoding what Node's lenient decoder makes of a string, at
// every length around the 4-character groups, for every last character and one character more or less.
func TestIsCanonicalBase64URL(t *testing.T) {
	data := make([]byte, 40)
	for i := range data {
		data[i] = byte(i*7 + 3)
	}
	accepted, refused := 0, 0
	for n := 1; n <= len(data); n++ {
		enc := EncodeBase64URL(data[:n])
		candidates := []string{enc, enc + "A", enc + "AA", enc[:len(enc)-1]}
		for i := range len(base64URLAlphabet) {
			candidates = append(candidates, enc[:len(enc)-1]+base64URLAlphabet[i:i+1])
		}
		for _, s := range candidates {
			decoded, err := DecodeBase64URL(s)
			if err != nil {
				t.Fatal(err)
			}
			want := EncodeBase64URL(decoded) == s
			if got := isCanonicalBase64URL(s, len(decoded)); got != want {
				t.Fatalf("%q: %v, want %v", s, got, want)
			}
			if want {
				accepted++
			} else {
				refused++
			}
		}
	}
	if accepted == 0 || refused == 0 {
		t.Fatalf("accepted %d, refused %d: the cases do not test both answers", accepted, refused)
	}
}

// splitDIDByIndex is splitDID as the reference writes it: cut at the prefix's next occurrence, look for a
// colon before it, and take the last colon of all.
func splitDIDByIndex(rest, method string) (bool, int) {
	prefix := "did:" + method + ":"
	before := rest
	if i := strings.Index(rest, prefix); i >= 0 {
		before = rest[:i]
	}
	return strings.Contains(before, ":"), strings.LastIndex(rest, ":")
}

func TestSplitDID(t *testing.T) {
	for _, method := range []string{"ion", "ion:test", "sidetree"} {
		for _, rest := range []string{"", "Ei", ":", "a:b", "a:b:c", "did:" + method + ":x", "x:did:" + method + ":y",
			"did:" + method + ":x:y", "xdid:" + method + ":y", "did:ion", "did:" + method, "did:" + method + ":", "did:" + method + "did:" + method + ":",
			"::::", "ddid:" + method + ":did:" + method + ":a:b", "a" + strings.Repeat(":did:"+method+":", 3)} {
			long, last := splitDID(rest, method)
			wantLong, wantLast := splitDIDByIndex(rest, method)
			if long != wantLong || last != wantLast {
				t.Errorf("splitDID(%q, %q) = %v, %d; want %v, %d", rest, method, long, last, wantLong, wantLast)
			}
		}
	}
}

func FuzzSplitDID(f *testing.F) {
	f.Add("x:did:ion:y", "ion")
	f.Add("did:ion:test:x:y", "ion:test")
	f.Fuzz(func(t *testing.T, rest, method string) {
		long, last := splitDID(rest, method)
		wantLong, wantLast := splitDIDByIndex(rest, method)
		if long != wantLong || last != wantLast {
			t.Fatalf("splitDID(%q, %q) = %v, %d; want %v, %d", rest, method, long, last, wantLong, wantLast)
		}
	})
}
