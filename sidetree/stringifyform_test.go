package sidetree

import (
	"bytes"
	"strings"
	"testing"
)

// checkStringifyForm: where IsStringifyForm says text is v's JSON.stringify form, it must be.
func checkStringifyForm(t *testing.T, text []byte) bool {
	t.Helper()
	v, err := ParseJSON(text)
	if err != nil {
		return false
	}
	same := IsStringifyForm(text, v)
	if out := v.AppendStringify(nil); same && !bytes.Equal(out, text) {
		t.Fatalf("IsStringifyForm(%q) is true, but JSON.stringify writes %q", text, out)
	}
	return same
}

func TestIsStringifyForm(t *testing.T) {
	tests := []struct {
		in   string
		same bool
	}{
		{`{"updateCommitment":"EiA0h570KCK9","patches":[{"action":"replace","document":{"publicKeys":[]}}]}`, true},
		{`{"a":1,"b":-2,"c":[0,true,false,null],"d":"x y ü"}`, true},
		{`{"a":999999999999999}`, true},
		{`{}`, true},
		{`{"a":1000000000000000}`, false}, // 16 digits
		{`{"a": 1}`, false},
		{`{"a":"\u0041"}`, false},
		{`{"a":"\n"}`, false},
		{`{"a":1.5}`, false},
		{`{"a":1e3}`, false},
		{`{"a":-0}`, false},
		{`{"a":1,"a":2}`, false},
		{`{"a":{"b":1,"b":1}}`, false},
		{`{"b":1,"1":2}`, false},
		{`{"b":1,"1a":2}`, false},
		{"{\"a\":1}\n", false},
	}
	for _, tc := range tests {
		if got := checkStringifyForm(t, []byte(tc.in)); got != tc.same {
			t.Errorf("IsStringifyForm(%s) = %v, want %v", tc.in, got, tc.same)
		}
	}
}

func FuzzIsStringifyForm(f *testing.F) {
	f.Add([]byte(`{"updateCommitment":"EiA","patches":[{"action":"replace","document":{"publicKeys":[{"id":"k","purposes":["a"]}]}}]}`))
	f.Add([]byte(`{"a":1,"b":[-2,0,true,null],"c":"ü"}`))
	f.Add([]byte(`{"a":1,"a":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 || strings.Count(string(data), "[")+strings.Count(string(data), "{") > 400 {
			return
		}
		checkStringifyForm(t, data)
	})
}
