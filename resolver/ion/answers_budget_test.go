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
			v := encodeKept(nil, 42, tc.suffix, &tc.a)
			var a Answer
			// Appended to a used buffer: what it held stays, and none of its old bytes leak in.
			dirty := bytes.Repeat([]byte{0xff}, 2*len(v))
			if again := encodeKept(dirty[:3], 42, tc.suffix, &tc.a); !bytes.Equal(again[:3], dirty[:3]) || !bytes.Equal(again[3:], v) {
				t.Fatalf("appended to a used buffer: %x, want ffffff%x", again, v)
			}
			// Under its DID (short or long form), under another name (a copy of the suffix).
			for _, did := range []string{"did:ion:" + tc.suffix, "did:ion:" + tc.suffix + ":eyJkZWx0YSI", "did:ion:EiX", ""} {
				k, ok := decodeKept(v, did, &a)
				if !ok || k.generation != 42 || k.suffix != tc.suffix || !sameAnswer(&a, &tc.a) {
					t.Fatalf("under %q: decoded %+v %+v, %v", did, k, a, ok)
				}
			}
			// Under its DID, a hit copies the ETag (a header value that outlives the answer's memory) and
			// nothing else.
			want := 0.0
			if tc.a.ETag != "" {
				want = 1
			}
			did := "did:ion:" + tc.suffix
			if n := testing.AllocsPerRun(10, func() { decodeKept(v, did, &a) }); n != want {
				t.Errorf("decoding allocates %v times", n)
			}
			for n := range keptHeader + len(tc.suffix) + 1 + len(tc.a.ETag) {
				if _, ok := decodeKept(v[:n], "did:ion:"+tc.suffix, &a); ok {
					t.Fatalf("%d of %d bytes decoded", n, len(v))
				}
			}
		})
	}
}

// FuzzDecodeKept: any bytes decode without panicking, and what decodes encodes back to bytes that
// decode the same.
func FuzzDecodeKept(f *testing.F) {
	f.Add(encodeKept(nil, 7, "EiA", &Answer{Status: 200, Body: []byte("{}"), Published: true, ETag: `"e"`}))
	f.Fuzz(func(t *testing.T, v []byte) {
		var a, b Answer
		k, ok := decodeKept(v, "", &a)
		if !ok {
			return
		}
		again, ok := decodeKept(encodeKept(nil, k.generation, k.suffix, &a), "did:ion:"+k.suffix, &b)
		if !ok || again != k || !sameAnswer(&a, &b) {
			t.Fatalf("%+v %+v re-encoded as %+v %+v", k, a, again, b)
		}
	})
}

func sameAnswer(a, b *Answer) bool {
	return a.Status == b.Status && a.Published == b.Published && a.ETag == b.ETag && bytes.Equal(a.Body, b.Body)
}
