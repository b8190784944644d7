package sidetree

import (
	"math"
	"testing"
)

func TestJSConversions(t *testing.T) {
	obj := Object(Member{"a", Array(String(`q"x`))})
	tests := []struct {
		name             string
		v                Value
		str, typ, jsonTx string
	}{
		{"undefined", Value{kind: kindUndefined}, "undefined", "undefined", "undefined"},
		{"null", Null(), "null", "object", "null"},
		{"true", Bool(true), "true", "boolean", "true"},
		{"integer", Number(2), "2", "number", "2"},
		{"negative zero", Number(math.Copysign(0, -1)), "0", "number", "0"},
		{"fraction", Number(1.5), "1.5", "number", "1.5"},
		{"large", Number(1e21), "1e+21", "number", "1e+21"},
		{"small", Number(1e-7), "1e-7", "number", "1e-7"},
		{"string", String(`a"b`), `a"b`, "string", `"a\"b"`},
		{"lone surrogate", String("a\xed\xa0\x80"), "a\xed\xa0\x80", "string", `"a\ud800"`},
		{"empty array", Array(), "", "object", "[]"},
		{"array", Array(Null(), String("x"), Array(Number(1), Number(2)), Object()), ",x,1,2,[object Object]", "object", `[null,"x",[1,2],{}]`},
		{"object", obj, "[object Object]", "object", `{"a":["q\"x"]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := jsString(tc.v); got != tc.str {
				t.Errorf("String(v) = %q, want %q", got, tc.str)
			}
			if got := jsTypeof(tc.v); got != tc.typ {
				t.Errorf("typeof v = %q, want %q", got, tc.typ)
			}
			if got := jsonText(tc.v); got != tc.jsonTx {
				t.Errorf("JSON.stringify(v) = %q, want %q", got, tc.jsonTx)
			}
		})
	}
}

func TestUTF16Len(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"é", 1},
		{"\U0001F600", 2},
		{"a\xed\xa0\x80b", 3}, // a lone surrogate is one code unit
		{"\uFFFD", 1},
	}
	for _, tc := range tests {
		if got := utf16Len(tc.s); got != tc.want {
			t.Errorf("utf16Len(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

func TestCodeOnlyErrorPrintsCodeOnce(t *testing.T) {
	if got := codeError(CodeJwsCompactJwsInvalid).Error(); got != string(CodeJwsCompactJwsInvalid) {
		t.Errorf("Error() = %q", got)
	}
	body := ErrorBody(codeError(CodeJwsCompactJwsInvalid)).String()
	if want := `{"code":"jws_compact_jws_invalid","message":"jws_compact_jws_invalid"}`; body != want {
		t.Errorf("body %s, want %s", body, want)
	}
}

// TestNodeUTF8Decoding: invalid UTF-8 reads as Buffer.toString() reads it (answers taken from Node 20).
func TestNodeUTF8Decoding(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\"\xe0\xbf0\"", "\uFFFD0"},               // one U+FFFD for a maximal subpart
		{"\"\xed\xa0\x80\"", "\uFFFD\uFFFD\uFFFD"}, // an encoded surrogate is three errors
		{"\"\xe2\x82A\"", "\uFFFDA"},               // truncated sequence
		{"\"\xf0\x9f\x98\x80\"", "\U0001F600"},     // valid four-byte sequence
		{"\"\xff\xfe\"", "\uFFFD\uFFFD"},           // bytes that never start a sequence
	}
	for _, tc := range tests {
		for name, parse := range map[string]func([]byte) (Value, error){"JSON.parse": ParseJSON, "yieldable-json": ParseYieldableJSON} {
			v, err := parse([]byte(tc.in))
			if err != nil {
				t.Errorf("%s(%q): %v", name, tc.in, err)
				continue
			}
			if s, _ := v.Str(); s != tc.want {
				t.Errorf("%s(%q) = %q, want %q", name, tc.in, s, tc.want)
			}
		}
	}
}
