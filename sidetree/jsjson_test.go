package sidetree

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestJSONMatchesJavaScript(t *testing.T) {
	// Expected values are what Node.js prints for JSON.stringify(JSON.parse(in)) and for the
	// `canonicalize` package (RFC 8785).
	tests := []struct {
		name, in, stringify, canonical string
	}{
		{"integer keys first, duplicate keeps first position and last value", `{"b":1,"a":2,"10":3,"2":4,"a":5}`, `{"2":4,"10":3,"b":1,"a":5}`, `{"10":3,"2":4,"a":5,"b":1}`},
		{"not array indices stay in place", `{"x":1,"01":2,"4294967295":3,"-1":4,"4294967294":5}`, `{"4294967294":5,"x":1,"01":2,"4294967295":3,"-1":4}`, `{"-1":4,"01":2,"4294967294":5,"4294967295":3,"x":1}`},
		{"numbers print as ECMAScript does", `[0,-0,1e21,1e-7,123.456,1.0,9007199254740993,5e-324]`, `[0,0,1e+21,1e-7,123.456,1,9007199254740992,5e-324]`, `[0,0,1e+21,1e-7,123.456,1,9007199254740992,5e-324]`},
		{"escapes only what JSON.stringify escapes", `["<>&\u2028","\u0000\u001f\b\f\n\r\t","\/\"\\"]`, "[\"<>&\u2028\",\"\\u0000\\u001f\\b\\f\\n\\r\\t\",\"/\\\"\\\\\"]", "[\"<>&\u2028\",\"\\u0000\\u001f\\b\\f\\n\\r\\t\",\"/\\\"\\\\\"]"},
		{"lone surrogates survive as escapes, pairs become characters", `["\ud800","\ud83d\ude00","\udc00x"]`, "[\"\\ud800\",\"\U0001F600\",\"\\udc00x\"]", "[\"\\ud800\",\"\U0001F600\",\"\\udc00x\"]"},
		{"canonical order is by UTF-16 code units", "{\"\uff61\":1,\"\U0001F600\":2,\"a\":3}", "{\"\uff61\":1,\"\U0001F600\":2,\"a\":3}", "{\"a\":3,\"\U0001F600\":2,\"\uff61\":1}"},
		{"whitespace is dropped", " { \"a\" : [ 1 , 2 ] } ", `{"a":[1,2]}`, `{"a":[1,2]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := ParseJSON([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(v.Stringify()); got != tc.stringify {
				t.Errorf("stringify\n got %s\nwant %s", got, tc.stringify)
			}
			c, err := v.Canonicalize()
			if err != nil {
				t.Fatal(err)
			}
			if string(c) != tc.canonical {
				t.Errorf("canonicalize\n got %s\nwant %s", c, tc.canonical)
			}
		})
	}
}

func TestJSONInfinity(t *testing.T) {
	v, err := ParseJSON([]byte(`{"n":1e400}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String(); got != `{"n":null}` {
		t.Errorf("stringify %s, JSON.stringify gives {\"n\":null}", got)
	}
	if _, err := v.Canonicalize(); err == nil {
		t.Error("canonicalize accepted Infinity; the canonicalize package throws")
	}
}

func TestJSONRejects(t *testing.T) {
	for _, in := range []string{``, `{`, `{"a":}`, `[1,]`, `{"a":1,}`, `01`, `1.`, `.5`, `+1`, `"\x"`, "\"\x01\"", `tru`, `nul`, `{"a" 1}`, `[1 2]`, `"abc`, "\ufeff{}", `{} x`, `NaN`, `Infinity`, `'a'`} {
		if _, err := ParseJSON([]byte(in)); err == nil {
			t.Errorf("ParseJSON(%q) accepted invalid JSON", in)
		}
	}
}

func TestJSONInvalidUTF8BecomesReplacement(t *testing.T) {
	v, err := ParseJSON([]byte("\"a\xffb\""))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := v.Str(); s != "a\uFFFDb" {
		t.Errorf("got %q", s)
	}
}

func TestJSONDeepNestingIsAnError(t *testing.T) {
	deep := make([]byte, 0, 20000)
	for i := 0; i < 10000; i++ {
		deep = append(deep, '[')
	}
	if _, err := ParseJSON(deep); err == nil {
		t.Error("accepted 10000 levels of nesting")
	}
}

func FuzzParseJSON(f *testing.F) {
	addSeedFiles(f, "json")
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseJSON(data)
		if err != nil {
			return
		}
		out := v.Stringify()
		if !json.Valid(out) {
			t.Fatalf("stringify produced invalid JSON %q", out)
		}
		again, err := ParseJSON(out)
		if err != nil {
			t.Fatalf("reparse of our output: %v", err)
		}
		if again.String() != string(out) {
			t.Fatalf("not stable: %s vs %s", again.String(), out)
		}
		if c, err := v.Canonicalize(); err == nil && !json.Valid(c) {
			t.Fatalf("canonical form invalid: %q", c)
		}
		checkPlainStrings(t, v)
	})
}

// checkPlainStrings fails unless every string of v marked plain is one JSON.stringify writes as it is, and
// v is written as it would be without the marks.
func checkPlainStrings(t *testing.T, v Value) {
	t.Helper()
	var unmarked func(v Value) Value
	unmarked = func(v Value) Value {
		switch v.kind {
		case KindString:
			if v.plain && !jsonPlain(v.str()) {
				t.Fatalf("%q is marked plain", v.str())
			}
			v.plain = false
		case KindArray:
			arr := make([]Value, len(v.arr()))
			for i, e := range v.arr() {
				arr[i] = unmarked(e)
			}
			v.setArr(arr)
		case KindObject:
			ms := make([]Member, len(v.members()))
			for i, m := range v.members() {
				ms[i] = Member{m.Key, unmarked(m.Value)}
			}
			v.setMembers(ms)
		}
		return v
	}
	if got, want := v.String(), unmarked(v).String(); got != want {
		t.Fatalf("written with the plain marks: %s; without: %s", got, want)
	}
}

// TestParsedStringsPlain checks which parsed strings are marked plain: those read without escapes, so
// that a mark is never wrong and the common case (base64url, identifiers) is marked.
func TestParsedStringsPlain(t *testing.T) {
	for _, tc := range []struct {
		json  string
		plain bool
	}{
		{`"abc"`, true},
		{`"EiDyOQbbZAa3aiRzeCkV7LOx3SERjjH93EXoIM3UoN4oWg"`, true}, // past the eight-byte steps
		{`"https://example.com/ü/😀/é"`, false},                     // an escape, even of plain text
		{`"é😀 and 한국어, over eight bytes"`, true},                   // 0xED starts 한 and is plain in valid UTF-8
		{`"\ud800 lone"`, false},
		{`"quote \" inside"`, false},
		{`""`, true},
		{"\"\xed\xa0\x80 a surrogate's bytes\"", true}, // invalid UTF-8, read as Node's U+FFFD: plain
	} {
		v, err := ParseJSON([]byte(tc.json))
		if err != nil {
			t.Fatalf("%s: %v", tc.json, err)
		}
		if v.plain && !jsonPlain(v.str()) {
			t.Errorf("%s: marked plain", tc.json)
		}
		if tc.plain && !v.plain {
			t.Errorf("%s: not marked plain", tc.json)
		}
		checkPlainStrings(t, v)
	}
}

func TestJSONPlain(t *testing.T) {
	pieces := []string{"a", "Z", "~", " ", "\x7f", "\"", "\\", "\n", "\x00", "\x1f", "é", "€", "😀", "\xed\xa0\x80", "\xed\x9f\xbf", "\xff", "/", "<", "plain text"}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := jsonPlain(s), string(appendString(nil, s)) == `"`+s+`"`; got != want {
			t.Fatalf("jsonPlain(%q) = %v, want %v", s, got, want)
		}
		if jsonPlain(s) && string(appendPlainString(nil, s)) != string(appendString(nil, s)) {
			t.Fatalf("%q written differently when known plain", s)
		}
	}
}

func TestArrayIndex(t *testing.T) {
	tests := []struct {
		key  string
		want uint32
		ok   bool
	}{
		{"0", 0, true}, {"7", 7, true}, {"4294967294", 4294967294, true},
		{"4294967295", 0, false}, {"9999999999", 0, false}, {"10000000000", 0, false},
		{"", 0, false}, {"00", 0, false}, {"01", 0, false}, {"-1", 0, false}, {"+1", 0, false},
		{"1e3", 0, false}, {" 1", 0, false}, {"1.0", 0, false}, {"id", 0, false}, {"١", 0, false},
	}
	for _, tc := range tests {
		got, ok := arrayIndex(tc.key)
		if got != tc.want || ok != tc.ok {
			t.Errorf("arrayIndex(%q) = %d, %v; want %d, %v", tc.key, got, ok, tc.want, tc.ok)
		}
	}
}

// TestJSONParserWithoutStore reads with a parser made without a store, as a reader walking a document an
// element at a time makes it.
func TestJSONParserWithoutStore(t *testing.T) {
	data := []byte(`{"a":[1,{"b":"c"}],"d":{}}`)
	p := jsonParser{data: data, src: string(data)}
	v, err := p.value(0)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String(); got != string(data) {
		t.Fatalf("%s, want %s", got, data)
	}
}

// TestParseChunksSized: a long-form DID's state is read into one chunk of members and one of elements
// (with the copy of the input, three allocations), and counts that strings inflate cannot size a chunk
// past what the input's length allows.
func TestParseChunksSized(t *testing.T) {
	_, did := resultFixture(t)
	state, err := DecodeBase64URL(did.LongForm[strings.LastIndex(did.LongForm, ":")+1:])
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(20, func() { _, _ = ParseJSON(state) }); n > 3 {
		t.Errorf("%v allocations to read a long-form state, want 3", n)
	}
	for _, data := range []string{`["` + strings.Repeat(":", 200) + `"]`, `["` + strings.Repeat(",{[", 200) + `"]`} {
		var s parseStore
		s.sizeChunksFor([]byte(data))
		if limit := max(len(data)/16, 8); s.members.chunkSize > limit || s.elems.chunkSize > limit {
			t.Errorf("%d bytes: chunks of %d members and %d elements", len(data), s.members.chunkSize, s.elems.chunkSize)
		}
	}
}

// TestParseStoreReleaseClears reads documents, whole and failed, with one store and checks that
// releasing it leaves no item in any scratch: a pooled scratch must not keep a document alive.
func TestParseStoreReleaseClears(t *testing.T) {
	s := &parseStore{}
	for _, doc := range []struct {
		data  string
		whole bool
	}{
		{`{"a":{"b":[1,2,3,4,5,6,7,8,9,10],"c":{"d":1,"e":2,"f":3,"g":4,"h":5,"i":6,"j":7,"k":8,"l":9}}}`, true},
		{`{"a":{"b":[1,2]}}`, true},
		{`{"a":{"b":[1,2,3],"c":{"d":1,"e":2,"f":3,"g":`, false},
		{`[[["x","y","z"]]]`, true},
	} {
		p := jsonParser{data: []byte(doc.data), src: doc.data, store: s}
		_, err := p.value(0)
		if (err == nil) != doc.whole {
			t.Fatalf("%s: %v", doc.data, err)
		}
		s.members.release(doc.whole)
		s.elems.release(doc.whole)
		for depth, sc := range s.members.scratch {
			for i, m := range sc[:cap(sc)] {
				if m.Key != "" || !isZeroValue(m.Value) {
					t.Fatalf("after %s: member scratch %d keeps %q at %d", doc.data, depth, m.Key, i)
				}
			}
		}
		for depth, sc := range s.elems.scratch {
			for i, e := range sc[:cap(sc)] {
				if !isZeroValue(e) {
					t.Fatalf("after %s: element scratch %d keeps %v at %d", doc.data, depth, e, i)
				}
			}
		}
	}
}

func isZeroValue(v Value) bool {
	return v == Value{}
}
