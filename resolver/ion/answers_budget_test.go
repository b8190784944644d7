package ion

import (
	"bytes"
	"testing"
)

// TestKeptRoundTrip: a kept answer decodes to what was kept; cut short it decodes as nothing.
func TestKeptRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name   string
		suffix string
		a      Answer
	}{
		{"published", "EiA-suffix", Answer{Status: 200, Body: []byte(`{"didDocument":{}}`), Published: true, ETag: `"abc"`}},
		{"unpublished", "EiB", Answer{Status: 200, Body: []byte(`{}`)}},
		{"not found, empty body", "EiC", Answer{Status: 404}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := encodeKept(42, tc.suffix, &tc.a)
			var a Answer
			k, ok := decodeKept(v, &a)
			if !ok || k.generation != 42 || k.suffix != tc.suffix || !sameAnswer(&a, &tc.a) {
				t.Fatalf("decoded %+v %+v, %v", k, a, ok)
			}
			for n := range keptHeader + len(tc.suffix) + 1 + len(tc.a.ETag) {
				if _, ok := decodeKept(v[:n], &a); ok {
					t.Fatalf("%d of %d bytes decoded", n, len(v))
				}
			}
		})
	}
}

// FuzzDecodeKept: any bytes decode without panicking, and what decodes encodes back to bytes that
// decode the same.
func FuzzDecodeKept(f *testing.F) {
	f.Add(encodeKept(7, "EiA", &Answer{Status: 200, Body: []byte("{}"), Published: true, ETag: `"e"`}))
	f.Fuzz(func(t *testing.T, v []byte) {
		var a, b Answer
		k, ok := decodeKept(v, &a)
		if !ok {
			return
		}
		again, ok := decodeKept(encodeKept(k.generation, k.suffix, &a), &b)
		if !ok || again != k || !sameAnswer(&a, &b) {
			t.Fatalf("%+v %+v re-encoded as %+v %+v", k, a, again, b)
		}
	})
}

func sameAnswer(a, b *Answer) bool {
	return a.Status == b.Status && a.Published == b.Published && a.ETag == b.ETag && bytes.Equal(a.Body, b.Body)
}
