package sidetree

import (
	"encoding/json"
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
	})
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
