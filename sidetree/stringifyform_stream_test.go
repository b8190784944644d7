package sidetree

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// stringifyForm reads text as the one element of a streamed array and returns what EachYieldableElement
// says of it: whether it streamed, and whether text is its JSON.stringify form. Where it says so, text
// must be what JSON.stringify writes for it.
func stringifyForm(t *testing.T, text []byte) (streamed, same bool) {
	t.Helper()
	data := append(append([]byte(`{"deltas":[`), text...), "]}"...)
	elements := 0
	streamed = EachYieldableElement(data, []string{"deltas"}, func(_ int, v Value, elem []byte, stringify bool) bool {
		elements++
		if out := v.AppendStringify(nil); stringify && !bytes.Equal(out, elem) {
			t.Fatalf("%q is said to be its JSON.stringify form, which is %q", elem, out)
		}
		same = stringify
		return true
	})
	return streamed && elements == 1, same
}

func TestStringifyForm(t *testing.T) {
	tests := []struct {
		in   string
		same bool
	}{
		{`{"updateCommitment":"EiA0h570KCK9","patches":[{"action":"replace","document":{"publicKeys":[]}}]}`, true},
		{`{"a":1,"b":-2,"c":[0,true,false,null],"d":"x y ü"}`, true},
		{`{"a":999999999999999}`, true},
		{`{"a":1000000000000000}`, true},
		{`{"a":1.5}`, true},
		{`{}`, true},
		{`{"a":123456789012345680000}`, true},
		{`{"a":1e21}`, false}, // 1e+21
		{`{"a":1e3}`, false},
		{`{"a":1E21}`, false},
		{`{"a":10.0}`, false},
		{`{"a": 1}`, false},
		{`{"a":"\u0041"}`, false},
		{`{"a":"\n"}`, true},
		{`{"a":"\/"}`, false},
		{`{"a":"\u001f"}`, true},
		{`{"a":-0}`, false},
		{`{"a":1,"a":2}`, false},
		{`{"a":1,"b":2,"a":3}`, false},
		{`{"a":{"b":1,"b":1}}`, false},
		{`{"b":1,"1":2}`, false},
		{`{"b":1,"1a":2}`, true},
		{`{"b":1,"a":2}`, true},
		{"{\"a\":1 }", false},
	}
	for _, tc := range tests {
		streamed, got := stringifyForm(t, []byte(tc.in))
		if !streamed || got != tc.same {
			t.Errorf("%s: streamed %v, stringify form %v, want %v", tc.in, streamed, got, tc.same)
		}
	}
}

func FuzzStringifyForm(f *testing.F) {
	f.Add([]byte(`{"updateCommitment":"EiA","patches":[{"action":"replace","document":{"publicKeys":[{"id":"k","purposes":["a"]}]}}]}`))
	f.Add([]byte(`{"a":1,"b":[-2,0,true,null],"c":"ü"}`))
	f.Add([]byte(`{"a":1,"a":"x"}`))
	f.Add([]byte(`{"a":[1.5,1e21,1e-7,123456789012345680000],"b":"\u00e9\u2028"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 || strings.Count(string(data), "[")+strings.Count(string(data), "{") > 400 {
			return
		}
		stringifyForm(t, data)
	})
}

// TestStringifyFormEachElement: each element is judged on its own text, not on those before it.
func TestStringifyFormEachElement(t *testing.T) {
	var got []bool
	if !EachYieldableElement([]byte(`{"deltas":[{"a": 1},{"a":1},{"b":1,"b":2},{"b":2}]}`), []string{"deltas"}, func(_ int, _ Value, _ []byte, stringify bool) bool {
		got = append(got, stringify)
		return true
	}) {
		t.Fatal("did not stream")
	}
	if want := []bool{false, true, false, true}; !slices.Equal(got, want) {
		t.Fatalf("stringify forms %v, want %v", got, want)
	}
}
