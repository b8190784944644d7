package worktest

import (
	"fmt"
	"strings"
	"testing"
)

// HostileJSON returns valid JSON values of size n, one per way a JSON reader goes super-linear: long
// strings of escapes, deep nesting, repeated keys, long numbers, many keys. Embed one where a parser takes
// arbitrary JSON (an unknown member, a claim) to test that parser's cost.
func HostileJSON() map[string]func(n int) string {
	return map[string]func(n int) string{
		"escapes":         func(n int) string { return `"` + strings.Repeat(`\n`, n) + `"` },
		"unicode escapes": func(n int) string { return `"` + strings.Repeat(`\u00e9`, n) + `"` },
		"escaped quotes":  func(n int) string { return `"` + strings.Repeat(`\"`, n) + `"` },
		"nesting":         func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) },
		"object nesting":  func(n int) string { return strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n) },
		"duplicate keys":  func(n int) string { return "{" + strings.Repeat(`"a":"\n\n\n\n",`, n) + `"b":1}` },
		"many keys":       func(n int) string { return keys(n, func(i int) string { return fmt.Sprintf("k%d", i) }) },
		"index keys":      func(n int) string { return keys(n, func(i int) string { return fmt.Sprint(n - i) }) },
		"long number":     func(n int) string { return "1" + strings.Repeat("7", n) },
		"long fraction":   func(n int) string { return "0." + strings.Repeat("7", n) + "1" },
		"many strings":    func(n int) string { return "[" + strings.Repeat(`"abc",`, n) + `"x"]` },
		"non-ASCII":       func(n int) string { return `"` + strings.Repeat("é😀\\n", n) + `"` },
	}
}

// Deep reports the shapes whose size is a nesting depth: a reader may refuse them past its depth limit,
// so they are tested at a size within the common limits.
func Deep(shape string) bool { return shape == "nesting" || shape == "object nesting" }

func keys(n int, key func(i int) string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%d", key(i), i)
	}
	b.WriteByte('}')
	return b.String()
}

// EachShape runs test as a subtest for every HostileJSON shape, with the size to test it at: n, or for
// the nesting shapes deep (within the readers' depth limits).
func EachShape(t *testing.T, n, deep int, test func(t *testing.T, n int, gen func(n int) string)) {
	t.Helper()
	for shape, gen := range HostileJSON() {
		size := n
		if Deep(shape) {
			size = deep
		}
		t.Run(shape, func(t *testing.T) { test(t, size, gen) })
	}
}
