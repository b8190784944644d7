package sidetree

import (
	"bufio"
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"testing"
)

// yieldableVariants are the two callers' limits: every vector must read the same under both.
var yieldableVariants = map[string]YieldableLimits{
	"request": {MaxDepth: RequestYieldableDepth},
	"batch":   {MaxDepth: BatchYieldableDepth, RefusePrototypes: true},
}

// TestYieldableVectors compares with what the reference's JSON reader (yieldable-json 1.1.0 under Node 20)
// made of the same bytes: testdata/yieldable.txt was written by that reader, from random JSON-like text and
// hand-picked cases.
func TestYieldableVectors(t *testing.T) {
	f, err := os.Open("testdata/yieldable.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		in, want, ok := strings.Cut(line, "\t")
		data, err := base64.StdEncoding.DecodeString(in)
		if !ok || err != nil {
			t.Fatalf("bad vector line %q", line)
		}
		for name, lim := range yieldableVariants {
			got := "ERR"
			if v, err := ParseYieldableJSONWith(data, lim); err == nil {
				got = "OK " + string(v.Stringify())
			}
			if got != want {
				t.Errorf("%s %q:\nreference %s\nours      %s", name, data, want, got)
			}
		}
		n++
	}
	if n < 800 {
		t.Fatalf("only %d vectors", n)
	}
}

func TestYieldableCases(t *testing.T) {
	tests := []struct {
		name, in, want string // want "" means refused
	}{
		{"prototype with properties is dropped from a request", `{"__proto__":{"operations":{}},"b":1}`, `{"b":1}`},
		{"empty prototype is dropped", `{"__proto__":{},"b":1}`, `{"b":1}`},
		{"null prototype is dropped", `{"__proto__":null,"b":1}`, `{"b":1}`},
		{"index keys first, ascending", `{"b":1,"10":2,"2":3,"a":4,"2":5}`, `{"2":5,"10":2,"b":1,"a":4}`},
		{"last duplicate wins at the first position", `{"a":1,"b":2,"a":3}`, `{"a":3,"b":2}`},
		{"escaped backslash by \\u is decoded again", `["\u005cn"]`, `["\n"]`},
		{"unknown escape stops decoding", `["\n\q\n"]`, `["\n\\q\\n"]`},
		{"0B literal", `[0B101]`, `[5]`},
		{"signed exponent breaks", `[1e-7]`, ""},
		{"ParseError text is the rest of the input", `[tru,"é😀"]`, `[{"name":"ParseError","message":"Unexpected character","text":",\"é😀\"]"},"é😀"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := ParseYieldableJSON([]byte(tc.in))
			if tc.want == "" {
				if err == nil {
					t.Fatalf("accepted as %s", v.Stringify())
				}
				if !errors.Is(err, ErrYieldable) || CodeOf(err) != CodeInvalidJSON {
					t.Fatalf("error %v (code %q) does not wrap ErrYieldable with CodeInvalidJSON", err, CodeOf(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := string(v.Stringify()); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestYieldablePrototypeRefused: where values are read property by property, inherited properties are
// refused rather than lost.
func TestYieldablePrototypeRefused(t *testing.T) {
	lim := yieldableVariants["batch"]
	if v, err := ParseYieldableJSONWith([]byte(`{"__proto__":{"operations":{}},"b":1}`), lim); !errors.Is(err, ErrYieldablePrototype) {
		t.Fatalf("got %v, %v; want ErrYieldablePrototype", v, err)
	}
	if v, err := ParseYieldableJSONWith([]byte(`{"__proto__":{},"b":1}`), lim); err != nil || v.String() != `{"b":1}` {
		t.Fatalf("an empty prototype: %v, %v", v, err)
	}
}

// TestYieldableDepth: each caller's nesting limit holds, and nesting within it parses.
func TestYieldableDepth(t *testing.T) {
	for name, lim := range yieldableVariants {
		t.Run(name, func(t *testing.T) {
			deep := strings.Repeat("[", lim.MaxDepth+2) + strings.Repeat("]", lim.MaxDepth+2)
			if _, err := ParseYieldableJSONWith([]byte(deep), lim); err == nil {
				t.Fatal("nesting beyond the limit accepted")
			}
			ok := strings.Repeat("[", lim.MaxDepth-10) + "1 2" + strings.Repeat("]", lim.MaxDepth-10)
			if _, err := ParseYieldableJSONWith([]byte(ok), lim); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestYieldableErrorTextShared: every nested ParseError carries the rest of the input, exactly, without a
// copy each.
func TestYieldableErrorTextShared(t *testing.T) {
	in := `{"a":[tru,` + strings.Repeat(`"x",`, 5000) + `"y"]}`
	v, err := ParseYieldableJSONWith([]byte(in), yieldableVariants["batch"])
	if err != nil {
		t.Fatal(err)
	}
	text, _ := v.Field("a").Elems()[0].Field("text").Str()
	if want := in[strings.Index(in, "tru")+3:]; text != want {
		t.Fatalf("text of %d bytes, want the %d bytes after tru", len(text), len(want))
	}
}
