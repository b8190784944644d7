package sidetree

import (
	"os"
	"path/filepath"
	"testing"
)

var streamPath = []string{"operations", "update"}

func TestEachYieldableElement(t *testing.T) {
	tests := []struct {
		name, in string
		streams  bool
	}{
		{"plain", `{"operations":{"update":[{"a":1},[2],"x",null]}}`, true},
		{"white space everywhere", " {\n\"operations\" :\t{ \"update\" : [ 1 , 2 ] } }\r\n", true},
		{"empty array", `{"operations":{"update":[]}}`, true},
		{"escaped key", `{"operations":{"upd\u0061te":[1]}}`, true},
		{"base64url with e- in a string", `{"operations":{"update":["EiCVm61CIVe-so"]}}`, true},
		{"another key", `{"operations":{"update":[1],"x":1}}`, false},
		{"key before", `{"x":1,"operations":{"update":[1]}}`, false},
		{"duplicate key", `{"operations":{"update":[1],"update":[2]}}`, false},
		{"not an array", `{"operations":{"update":{}}}`, false},
		{"wrong key", `{"operations":{"delete":[1]}}`, false},
		{"trailing data", `{"operations":{"update":[1]}}x`, false},
		{"trailing comma", `{"operations":{"update":[1,]}}`, false},
		{"yieldable-json's [1 2]", `{"operations":{"update":[1 2]}}`, false},
		{"signed exponent", `{"operations":{"update":[1e-2]}}`, false},
		{"__proto__ in an element", `{"operations":{"update":[{"__proto__":{"a":1}}]}}`, false},
		{"invalid UTF-8", "{\"operations\":{\"update\":[\"\xff\"]}}", false},
		{"not JSON", `{"operations":{"update":[tru]}}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkStream(t, []byte(tc.in), streamPath); got != tc.streams {
				t.Fatalf("streamed %v, want %v", got, tc.streams)
			}
		})
	}
}

// TestEachYieldableElementStops: each returning false ends the stream, and the caller is told.
func TestEachYieldableElementStops(t *testing.T) {
	calls := 0
	if EachYieldableElement([]byte(`{"d":[1,2,3]}`), []string{"d"}, func(i int, _ Value) bool { calls++; return i < 1 }) {
		t.Fatal("a refused element reported as streamed")
	}
	if calls != 2 {
		t.Fatalf("%d calls, want 2", calls)
	}
}

// checkStream streams data and, where it streams, checks that every element is what the whole file's
// yieldable-json reading holds at the same place.
func checkStream(t *testing.T, data []byte, path []string) bool {
	t.Helper()
	var got []Value
	if !EachYieldableElement(data, path, func(i int, v Value) bool {
		if i != len(got) {
			t.Fatalf("element %d after %d elements", i, len(got))
		}
		got = append(got, v)
		return true
	}) {
		return false
	}
	whole, err := ParseYieldableJSONWith(data, YieldableLimits{MaxDepth: BatchYieldableDepth, RefusePrototypes: true})
	if err != nil {
		t.Fatalf("streamed, but the whole reading fails: %v", err)
	}
	for _, k := range path {
		if len(whole.ForInKeys()) != 1 {
			t.Fatalf("streamed, but the whole reading has keys %q", whole.ForInKeys())
		}
		whole = whole.Field(k)
	}
	want := whole.Elems()
	if whole.Kind() != KindArray || len(want) != len(got) {
		t.Fatalf("streamed %d elements, the whole reading holds %s", len(got), whole.Stringify())
	}
	for i := range want {
		if !want[i].Equal(got[i]) {
			t.Fatalf("element %d streamed as %s, the whole reading has %s", i, got[i].Stringify(), want[i].Stringify())
		}
	}
	return true
}

func FuzzEachYieldableElement(f *testing.F) {
	chunk, err := os.ReadFile(filepath.Join("batch", "testdata", "seeds", "chunk.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(chunk)
	f.Add([]byte(`{"deltas":[{"a":"\u0041","b":[1.5e3,true,null]},{}]}`))
	f.Add([]byte(`{"deltas":[{"__proto__":1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkStream(t, data, []string{"deltas"})
	})
}
