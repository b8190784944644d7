package batch

import (
	"bufio"
	"encoding/base64"
	"os"
	"strings"
	"testing"
)

// TestYieldableVectors runs inputs through parseJS and compares with what the reference's JSON reader
// (yieldable-json 1.1.0 under Node 20) made of them: testdata/yieldable.txt was written by that reader,
// from random JSON-like text and hand-picked cases.
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
		got := "ERR"
		if v, err := parseJS(data); err == nil {
			got = "OK " + string(v.Stringify())
		}
		if got != want {
			t.Errorf("%q:\nreference %s\nours      %s", data, want, got)
		}
		n++
	}
	if n < 800 {
		t.Fatalf("only %d vectors", n)
	}
}

// TestYieldablePrototype: "__proto__" with properties is refused rather than misread; without any, it is
// dropped as JavaScript drops it.
func TestYieldablePrototype(t *testing.T) {
	if _, err := parseJS([]byte(`{"__proto__":{"operations":{}},"b":1}`)); err == nil {
		t.Fatal("an inherited property was accepted")
	}
	v, err := parseJS([]byte(`{"__proto__":{},"b":1}`))
	if err != nil || v.String() != `{"b":1}` {
		t.Fatalf("%v %v", v, err)
	}
}

// TestYieldableLimits: nesting beyond maxJSDepth is refused; a long nested ParseError text is shared.
func TestYieldableLimits(t *testing.T) {
	deep := strings.Repeat("[", maxJSDepth+2) + strings.Repeat("]", maxJSDepth+2)
	if _, err := parseJS([]byte(deep)); err == nil {
		t.Fatal("deep nesting accepted")
	}
	ok := strings.Repeat("[", 2000) + "1 2" + strings.Repeat("]", 2000)
	if _, err := parseJS([]byte(ok)); err != nil {
		t.Fatal(err)
	}
	long := `{"a":[tru,` + strings.Repeat(`"x",`, 5000) + `"y"]}`
	v, err := parseJS([]byte(long))
	if err != nil {
		t.Fatal(err)
	}
	text, _ := v.Field("a").Elems()[0].Field("text").Str()
	if len(text) != maxErrorText {
		t.Fatalf("text of %d bytes", len(text))
	}
}
