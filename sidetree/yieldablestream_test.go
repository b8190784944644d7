package sidetree

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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
		{"__proto__ escaped in an element", `{"operations":{"update":[{"\u005f_proto__":{"a":1}}]}}`, false},
		{"__proto__ deep in an element", `{"operations":{"update":[{"a":[{"b":{"__proto__":1}}]}]}}`, false},
		{"__proto__ as a string", `{"operations":{"update":["__proto__"]}}`, true},
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
	if EachYieldableElement([]byte(`{"d":[1,2,3]}`), []string{"d"}, func(i int, _ Value, _ []byte, _ bool) bool { calls++; return i < 1 }) {
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
	if !EachYieldableElement(data, path, func(i int, v Value, text []byte, stringify bool) bool {
		if i != len(got) {
			t.Fatalf("element %d after %d elements", i, len(got))
		}
		if tv, err := ParseYieldableJSONWith(text, YieldableLimits{MaxDepth: BatchYieldableDepth, RefusePrototypes: true}); err != nil || !tv.Equal(v) {
			t.Fatalf("element %d is %s, its text %q reads as %s (%v)", i, v.Stringify(), text, tv.Stringify(), err)
		}
		if out := v.AppendStringify(nil); stringify && !bytes.Equal(out, text) {
			t.Fatalf("element %d: its text %q is said to be its JSON.stringify form, which is %q", i, text, out)
		}
		got = append(got, cloneValue(v)) // v's storage is the next element's
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

// cloneValue copies v's objects and arrays.
func cloneValue(v Value) Value {
	switch v.kind {
	case KindArray:
		v.setArr(slices.Clone(v.arr()))
		for i, e := range v.arr() {
			v.arr()[i] = cloneValue(e)
		}
	case KindObject:
		v.setMembers(slices.Clone(v.members()))
		for i, m := range v.members() {
			v.members()[i].Value = cloneValue(m.Value)
		}
	}
	return v
}

// TestEachYieldableElementReusesStorage: the elements are read into the same storage, so reading twice as
// many costs no more allocations, and each element is still whole when each sees it.
func TestEachYieldableElementReusesStorage(t *testing.T) {
	file := func(n int) []byte {
		var b strings.Builder
		b.WriteString(`{"deltas":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"i":%d,"patches":[{"action":"replace","document":{"publicKeys":[{"id":"k%d","purposes":["a","b"]}]}}]}`, i, i)
		}
		b.WriteString(`]}`)
		return []byte(b.String())
	}
	allocs := func(data []byte) float64 {
		return testing.AllocsPerRun(5, func() {
			if !EachYieldableElement(data, []string{"deltas"}, func(i int, v Value, _ []byte, _ bool) bool {
				n, _ := v.Field("i").Num()
				id, _ := v.Field("patches").Elems()[0].Field("document").Field("publicKeys").Elems()[0].Field("id").Str()
				k, err := strconv.Atoi(strings.TrimPrefix(id, "k"))
				return int(n) == i && k == i && err == nil
			}) {
				t.Fatal("an element was not what the file holds")
			}
		})
	}
	small, large := allocs(file(200)), allocs(file(400))
	if large > small+4 {
		t.Fatalf("%v allocations for 200 elements, %v for 400: the storage is not reused", small, large)
	}
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

func TestWalkYieldable(t *testing.T) {
	tests := []struct {
		name, in string
		walks    bool
	}{
		{"core index", `{"writerLockId":"w","provisionalIndexFileUri":"Qm","operations":{"create":[{"suffixData":{"a":1}}],"recover":[]}}`, true},
		{"arrays at the top", `{"chunks":[{"chunkFileUri":"Qm"}],"operations":{"update":[1,2]}}`, true},
		{"white space everywhere", " {\n\"a\" :\t{ \"b\" : [ 1 , 2 ] } , \"c\" : null }\r\n", true},
		{"empty", `{}`, true},
		{"an object two deep is a value", `{"a":{"b":{"c":[1]}}}`, true},
		{"escaped key", `{"\u0061":[1]}`, true},
		{"duplicate key", `{"a":1,"a":2}`, false},
		{"duplicate key one deep", `{"a":{"b":[1],"b":[2]}}`, false},
		{"__proto__ key", `{"__proto__":{"a":1}}`, false},
		{"__proto__ in an element", `{"a":[{"__proto__":{"a":1}}]}`, false},
		{"too many members", `{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9}`, false},
		{"not an object", `[1]`, false},
		{"trailing data", `{"a":[1]}x`, false},
		{"trailing comma", `{"a":[1,]}`, false},
		{"yieldable-json's [1 2]", `{"a":[1 2]}`, false},
		{"signed exponent", `{"a":1e-2}`, false},
		{"invalid UTF-8", "{\"a\":\"\xff\"}", false},
		{"not JSON", `{"a":tru}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkWalk(t, []byte(tc.in)); got != tc.walks {
				t.Fatalf("walked %v, want %v", got, tc.walks)
			}
		})
	}
}

// checkWalk walks data and, where it walks, checks that the values it was given, put back together,
// are the whole file's yieldable-json reading.
func checkWalk(t *testing.T, data []byte) bool {
	t.Helper()
	top := Object()
	if !WalkYieldable(data, func(path []string, i int, v Value, text []byte, stringify bool) bool {
		if text != nil {
			if tv, err := ParseYieldableJSONWith(text, YieldableLimits{MaxDepth: BatchYieldableDepth, RefusePrototypes: true}); err != nil || !tv.Equal(v) {
				t.Fatalf("%q: %s, its text %q reads as %s (%v)", path, v.Stringify(), text, tv.Stringify(), err)
			}
			if out := v.AppendStringify(nil); stringify && !bytes.Equal(out, text) {
				t.Fatalf("%q: its text %q is said to be its JSON.stringify form, which is %q", path, text, out)
			}
		}
		v = cloneValue(v) // v's storage is the next value's
		parent := &top
		if len(path) == 2 {
			outer := top.Field(path[0])
			parent = &outer
			defer func() { top.Set(path[0], outer) }()
		}
		key := path[len(path)-1]
		if i < 0 {
			if parent.Has(key) {
				t.Fatalf("%q given twice", path)
			}
			parent.Set(key, v)
			return true
		}
		arr := parent.Field(key)
		if arr.Kind() != KindArray || arr.Len() != i {
			t.Fatalf("%q: element %d after %s", path, i, arr.Stringify())
		}
		arr.appendElems(v)
		parent.Set(key, arr)
		return true
	}) {
		return false
	}
	whole, err := ParseYieldableJSONWith(data, YieldableLimits{MaxDepth: BatchYieldableDepth, RefusePrototypes: true})
	if err != nil {
		t.Fatalf("walked, but the whole reading fails: %v", err)
	}
	if !whole.Equal(top) {
		t.Fatalf("walked as %s, the whole reading is %s", top.Stringify(), whole.Stringify())
	}
	return true
}

// TestWalkYieldableReusesStorage: the elements are read into the same storage, so walking twice as many
// costs no more allocations.
func TestWalkYieldableReusesStorage(t *testing.T) {
	file := func(n int) []byte {
		var b strings.Builder
		b.WriteString(`{"w":"x","operations":{"create":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"suffixData":{"i":%d,"deltaHash":"h"}}`, i)
		}
		b.WriteString(`]}}`)
		return []byte(b.String())
	}
	allocs := func(data []byte) float64 {
		return testing.AllocsPerRun(5, func() {
			if !WalkYieldable(data, func(path []string, i int, v Value, _ []byte, _ bool) bool {
				if i < 0 {
					return true
				}
				n, _ := v.Field("suffixData").Field("i").Num()
				return int(n) == i
			}) {
				t.Fatal("an element was not what the file holds")
			}
		})
	}
	small, large := allocs(file(200)), allocs(file(400))
	if large > small+4 {
		t.Fatalf("%v allocations for 200 elements, %v for 400: the storage is not reused", small, large)
	}
}

func FuzzWalkYieldable(f *testing.F) {
	for _, name := range []string{"coreIndex.json", "provisionalIndex.json"} {
		seed, err := os.ReadFile(filepath.Join("batch", "testdata", "seeds", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seed)
	}
	f.Add([]byte(`{"a":{"b":[{"__proto__":1}],"c":{"d":[]}},"e":"\u0041"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkWalk(t, data)
	})
}
