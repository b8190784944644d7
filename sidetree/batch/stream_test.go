package batch

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// wholeDeltas is what the reference's reading of a whole chunk file holds: each delta's JSON.stringify
// form, read from the tree of the whole file.
func wholeDeltas(t *testing.T, raw []byte) [][]byte {
	t.Helper()
	model, err := parseJS(raw)
	if err != nil {
		t.Fatalf("the whole reading fails: %v", err)
	}
	var out [][]byte
	for _, d := range model.Field("deltas").Elems() {
		out = append(out, d.Stringify())
	}
	return out
}

func checkChunkDeltas(t *testing.T, raw []byte, got [][]byte) {
	t.Helper()
	want := wholeDeltas(t, raw)
	if len(got) != len(want) {
		t.Fatalf("%d deltas, the whole reading holds %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("delta %d is %s, the whole reading's is %s", i, got[i], want[i])
		}
	}
}

// TestChunkFileAsWhole: however the chunk file is read (one delta at a time or whole), each delta is what
// the whole reading holds, written as JSON.stringify writes it.
func TestChunkFileAsWhole(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seeds", "chunk.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(seed)
	tests := map[string]string{
		"as written":          s,
		"white space":         strings.ReplaceAll(strings.ReplaceAll(s, `,`, " ,\n\t"), `:`, ` : `),
		"escapes":             strings.ReplaceAll(strings.ReplaceAll(s, `/`, `\/`), `"action"`, `"\u0061ction"`),
		"duplicate keys":      strings.Replace(s, `{"updateCommitment":`, `{"updateCommitment":"x","updateCommitment":`, 1),
		"an unknown property": strings.Replace(s, `{"deltas":`, `{"deltas":[],"deltas":`, 1),
		"yieldable-json":      strings.Replace(s, `,"patches"`, ",\x01\"patches\"", 1),
		"no deltas":           `{"deltas":[]}`,
	}
	p := sidetree.Mainnet().Latest()
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := ParseChunkFile(gz(in), p)
			if err != nil {
				t.Fatal(err)
			}
			checkChunkDeltas(t, []byte(in), f.Deltas)
		})
	}
}

// TestChunkFileHeldAsText: a parsed chunk file holds about its deltas' text, not a tree several times
// that size (measured: a whole-file tree took ~7 times the text).
func TestChunkFileHeldAsText(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seeds", "chunk.json"))
	if err != nil {
		t.Fatal(err)
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(string(seed), `{"deltas":[`), `]}`)
	in := `{"deltas":[` + strings.Repeat(inner+",", 200) + inner + `]}`
	data := gz(in)
	p := sidetree.Mainnet().Latest()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f, err := ParseChunkFile(data, p)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	text := 0
	for _, d := range f.Deltas {
		text += len(d)
	}
	held := int(after.HeapAlloc) - int(before.HeapAlloc)
	runtime.KeepAlive(f)
	if held > 2*text {
		t.Fatalf("%d deltas of %d bytes of text hold %d bytes", len(f.Deltas), text, held)
	}
}

// FuzzParseProvisionalProofFile also checks that a file read one proof at a time reads as it does whole.
func FuzzParseProvisionalProofFile(f *testing.F) {
	p := sidetree.Mainnet().Latest()
	check := func(_ int, payload sidetree.Value) error { return sidetree.ValidateUpdateSignedData(payload) }
	fuzzAsWhole(f, p.MaxProofFileSizeInBytes,
		func(data []byte) (*ProvisionalProofFile, error) { return ParseProvisionalProofFile(data, p) },
		func(text []byte) (*ProvisionalProofFile, error) { return parseProvisionalProofWhole(text, check) },
		func(a, b *ProvisionalProofFile) bool { return slices.Equal(a.Updates, b.Updates) })
}

// fuzzAsWhole fuzzes a file's parser against the reading of the whole decompressed file: the same error
// code, or the same file.
func fuzzAsWhole[F any](f *testing.F, sizeLimit int, parse, whole func([]byte) (F, error), same func(a, b F) bool) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte, raw bool) {
		if !raw {
			data = compress(data)
		}
		got, err := parse(data)
		text, derr := decompress(nil, data, sizeLimit*decompressionMultiplier, "", "")
		if derr != nil {
			return
		}
		want, werr := whole(text)
		if sidetree.CodeOf(err) != sidetree.CodeOf(werr) || (err == nil) != (werr == nil) {
			t.Fatalf("read as %v, whole as %v", err, werr)
		}
		if err == nil && !same(got, want) {
			t.Fatalf("read as %+v, whole as %+v", got, want)
		}
	})
}
