package sidetree

import (
	"bytes"
	"strings"
	"testing"
)

// fastPathCases are valid JSON that the fast path must read as yieldable-json does, or leave to it.
var fastPathCases = []struct {
	name, in string
	diverges bool // hasYieldableDivergence must flag it
}{
	{"base64url with e- in a string", `{"a":"EiCVm61CIVe-soMLmPizetnQ","b":"xE+y"}`, false},
	{"signed exponent", `[1e-7]`, true},
	{"signed exponent, capital", `{"a":2E+3}`, true},
	{"signed exponent after a string", `{"a":"e-","b":1e+2}`, true},
	{"escaped backslash by \\u", `["\u005cn"]`, true},
	{"escaped backslash by \\u, capital", `["\u005Cn"]`, true},
	{"an escaped backslash before u005c", `["\\u005c"]`, false},
	{"escaped quote does not end the string", `["\"e-",1]`, false},
	{"escaped quote then a signed exponent", `["\"",1e-1]`, true},
	{"unsigned exponent", `[1e5,2E3]`, false},
}

func TestYieldableFastPath(t *testing.T) {
	for _, tc := range fastPathCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := hasYieldableDivergence([]byte(tc.in)); got != tc.diverges {
				t.Fatalf("hasYieldableDivergence = %v, want %v", got, tc.diverges)
			}
			checkFastPath(t, []byte(tc.in))
		})
	}
}

// checkFastPath: where parseYieldable takes JSON.parse's reading, the transcription of yieldable-json
// must read the same value, whether its strings share data's memory (owned) or copy it.
func checkFastPath(t *testing.T, data []byte) {
	t.Helper()
	for name, lim := range yieldableVariants {
		v, same, err := parseYieldable(data, lim, false, nil)
		owned, ownedSame, ownedErr := parseYieldable(bytes.Clone(data), lim, true, nil)
		if (err == nil) != (ownedErr == nil) || same != ownedSame || err == nil && !bytes.Equal(v.Stringify(), owned.Stringify()) {
			t.Fatalf("%s: the owned reading (%v, %v) differs from the copying one (%v, %v)", name, ownedSame, ownedErr, same, err)
		}
		if err != nil || !same {
			continue
		}
		slow, err := parseYieldableSlow(data, lim)
		if err != nil {
			t.Fatalf("%s: fast path read %s, the transcription refuses it: %v", name, v.Stringify(), err)
		}
		if !v.Equal(slow) {
			t.Fatalf("%s: fast path read %s, the transcription %s", name, v.Stringify(), slow.Stringify())
		}
	}
}

func FuzzYieldableFastPath(f *testing.F) {
	addSeedFiles(f, "yieldable")
	for _, tc := range fastPathCases {
		f.Add([]byte(tc.in))
	}
	f.Add([]byte(`{"deltas":[{"patches":[{"action":"replace","document":{}}],"updateCommitment":"EiB-e-E+"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := hasYieldableDivergence(data), divergenceByteByByte(data); got != want {
			t.Fatalf("hasYieldableDivergence(%q) = %v, the byte-by-byte scan says %v", data, got, want)
		}
		if len(data) > 1<<16 || strings.Count(string(data), "[")+strings.Count(string(data), "{") > 400 {
			return // the slow path's depth limit is not what is tested here
		}
		checkFastPath(t, data)
	})
}

// divergenceByteByByte is hasYieldableDivergence's rule as a plain scan of every byte, the definition its
// skipping over strings must agree with.
func divergenceByteByByte(data []byte) bool {
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch c {
			case '"':
				inString = false
			case '\\':
				if i+5 < len(data) && data[i+1] == 'u' && data[i+2] == '0' && data[i+3] == '0' && data[i+4] == '5' && (data[i+5] == 'c' || data[i+5] == 'C') {
					return true
				}
				i++
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case 'e', 'E':
			if i+1 < len(data) && (data[i+1] == '+' || data[i+1] == '-') {
				return true
			}
		}
	}
	return false
}

func TestYieldableDivergenceScan(t *testing.T) {
	for _, in := range []string{`"\`, `"\"`, `"\\"e-`, `"abc`, `"a\u005c`, `"a\u005`, `["x\"",1e+1]`, `"e-"E-`, `"\\u005c"`, `"\u005C"`} {
		if got, want := hasYieldableDivergence([]byte(in)), divergenceByteByByte([]byte(in)); got != want {
			t.Errorf("hasYieldableDivergence(%q) = %v, the byte-by-byte scan says %v", in, got, want)
		}
	}
}

// TestYieldableDivergenceScanLinear: the scan's searches go over each byte a bounded number of times,
// however the escapes and quotes are laid out.
func TestYieldableDivergenceScanLinear(t *testing.T) {
	for name, gen := range adversarialJSON() {
		t.Run(name, func(t *testing.T) {
			for _, n := range []int{1000, 2000} {
				data := gen(n)
				var searched int
				divergenceScan(data, &searched)
				if searched > 3*len(data)+3 {
					t.Fatalf("%d bytes searched for input of %d bytes", searched, len(data))
				}
			}
		})
	}
	escapedQuotes := []byte(`["` + strings.Repeat(`\"`, 5000) + `"]`)
	var searched int
	divergenceScan(escapedQuotes, &searched)
	if searched > 3*len(escapedQuotes) {
		t.Fatalf("%d bytes searched for %d bytes of escaped quotes", searched, len(escapedQuotes))
	}
}
