package sidetree

import (
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
// must read the same value.
func checkFastPath(t *testing.T, data []byte) {
	t.Helper()
	for name, lim := range yieldableVariants {
		v, same, err := parseYieldable(data, lim)
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
		if len(data) > 1<<16 || strings.Count(string(data), "[")+strings.Count(string(data), "{") > 400 {
			return // the slow path's depth limit is not what is tested here
		}
		checkFastPath(t, data)
	})
}
