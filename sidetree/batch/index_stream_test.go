package batch

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// sameCoreIndex reports whether two readings of a core index file hold the same (an absent list and an
// empty one are the same to every reader of the file).
func sameCoreIndex(a, b *CoreIndexFile) bool {
	return a.WriterLockID == b.WriterLockID && a.ProvisionalIndexFileURI == b.ProvisionalIndexFileURI &&
		a.CoreProofFileURI == b.CoreProofFileURI && slices.EqualFunc(a.Creates, b.Creates, bytes.Equal) &&
		slices.Equal(a.CreateSuffixes, b.CreateSuffixes) && slices.Equal(a.Recovers, b.Recovers) && slices.Equal(a.Deactivates, b.Deactivates)
}

// TestCoreIndexFileAsWhole: however a core index file is read (one reference at a time or whole), it
// reads the same, and a file as built batches write it is read one reference at a time.
func TestCoreIndexFileAsWhole(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seeds", "coreIndex.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(seed)
	tests := []struct {
		name, in string
		streams  bool
	}{
		{"as written", s, true},
		{"white space", strings.ReplaceAll(strings.ReplaceAll(s, `,`, " ,\n\t"), `:`, ` : `), true},
		{"members in another order", `{"operations":` + s[strings.Index(s, `{"create"`):len(s)-1] + `,` + s[1:strings.Index(s, `,"operations"`)] + `}`, true},
		{"suffix data keys in another order", strings.Replace(s, `{"deltaHash":"EiDyXqPapAajf0nU5pmGDqd1u1xiceM3YxG87PsCsgNN0A","recoveryCommitment":"EiBDDpkmaqXhtbc1mTGeAojUf3rmqCvda8twH3xeGgdblA"}`,
			`{"recoveryCommitment":"EiBDDpkmaqXhtbc1mTGeAojUf3rmqCvda8twH3xeGgdblA","deltaHash":"EiDyXqPapAajf0nU5pmGDqd1u1xiceM3YxG87PsCsgNN0A"}`, 1), true},
		{"escapes", strings.ReplaceAll(s, `"deltaHash"`, `"delta\u0048ash"`), true},
		{"a suffix data key repeated", strings.Replace(s, `{"deltaHash":`, `{"deltaHash":"x","deltaHash":`, 1), true},
		{"a member repeated", strings.Replace(s, `{"writerLockId":"lock",`, `{"writerLockId":1,"writerLockId":"lock",`, 1), false},
		{"yieldable-json", strings.Replace(s, `,"recover"`, ",\x01\"recover\"", 1), false},
		{"no operations", `{"writerLockId":"lock"}`, true},
		// Invalid files are read whole, for the reference's error.
		{"an invalid recover reference", strings.Replace(s, `"recover":[{"didSuffix":"`, `"recover":[{"didSuffix":"x`, 1), false},
		{"an invalid deactivate reference", strings.Replace(s, `"deactivate":[{"didSuffix":"`, `"deactivate":[{"didSuffix":"x`, 1), false},
		{"an invalid suffix data", strings.Replace(s, `{"deltaHash":"`, `{"deltaHash":"x`, 1), false},
		{"an unknown member", strings.Replace(s, `{"writerLockId":"lock",`, `{"writerLockId":"lock","x":1,`, 1), false},
		{"an unknown operation", strings.Replace(s, `"recover":[`, `"update":[],"recover":[`, 1), false},
		{"a DID twice", strings.Replace(s, `"deactivate":[{"didSuffix":"EiAPE61l7b1W3we`, `"deactivate":[{"didSuffix":"EiDxTnYBghVdFV3iw_-rQUl-jELqyRllTp9Rmpqssv8lnw","revealValue":"EiD1zAMkCzJpjLO1wVfVD7pvMeIqQtvUI5U-xpKhY93W9Q"},{"didSuffix":"EiAPE61l7b1W3we`, 1), false},
		{"no core proof file URI", strings.Replace(s, `"coreProofFileUri"`, `"coreProofFileUrl"`, 1), false},
		{"creates not an array", `{"provisionalIndexFileUri":"` + cid + `","operations":{"create":{}}}`, false},
		{"recovers not an array", `{"coreProofFileUri":"` + cid + `","operations":{"recover":"x"}}`, false},
		{"a long writer lock", strings.Replace(s, `"writerLockId":"lock"`, `"writerLockId":"`+strings.Repeat("l", 201)+`"`, 1), false},
	}
	p := sidetree.Mainnet().Latest()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkAsWhole(t, tc.in, tc.streams, fileReadings[*CoreIndexFile]{
				parse:  func(data []byte) (*CoreIndexFile, error) { return ParseCoreIndexFile(data, p) },
				stream: func(text []byte) (*CoreIndexFile, bool) { return streamCoreIndexFile(text, p) },
				whole:  func(text []byte) (*CoreIndexFile, error) { return parseCoreIndexWhole(text, p) },
				same:   sameCoreIndex,
			})
		})
	}
}

// fileReadings are the ways a file is read: its parser, and the two readings it chooses from.
type fileReadings[F any] struct {
	parse  func(data []byte) (F, error) // compressed
	stream func(text []byte) (F, bool)
	whole  func(text []byte) (F, error)
	same   func(a, b F) bool
}

// checkAsWhole checks that a file is read as the whole reading reads it (or fails with its error), and
// that it is read one reference at a time exactly when streams says.
func checkAsWhole[F any](t *testing.T, in string, streams bool, r fileReadings[F]) {
	t.Helper()
	want, werr := r.whole([]byte(in))
	if werr != nil {
		if _, ok := r.stream([]byte(in)); ok || streams {
			t.Fatalf("an invalid file (%v) read one reference at a time", werr)
		}
		if _, err := r.parse(gz(in)); sidetree.CodeOf(err) != sidetree.CodeOf(werr) {
			t.Fatalf("read as %v, whole as %v", err, werr)
		}
		return
	}
	streamed, ok := r.stream([]byte(in))
	if ok != streams {
		t.Fatalf("read one reference at a time: %v, want %v", ok, streams)
	}
	if ok && !r.same(streamed, want) {
		t.Fatalf("read one at a time as %+v, whole as %+v", streamed, want)
	}
	got, err := r.parse(gz(in))
	if err != nil || !r.same(got, want) {
		t.Fatalf("read as %+v (%v), whole as %+v", got, err, want)
	}
}

// FuzzCoreIndexFileAsWhole: a core index file reads as it does whole, with the same error.
func FuzzCoreIndexFileAsWhole(f *testing.F) {
	p := sidetree.Mainnet().Latest()
	fuzzAsWhole(f, p.MaxCoreIndexFileSizeInBytes,
		func(data []byte) (*CoreIndexFile, error) { return ParseCoreIndexFile(data, p) },
		func(text []byte) (*CoreIndexFile, error) { return parseCoreIndexWhole(text, p) },
		sameCoreIndex)
}

func sameProvisionalIndex(a, b *ProvisionalIndexFile) bool {
	return a.ChunkFileURI == b.ChunkFileURI && a.ProvisionalProofFileURI == b.ProvisionalProofFileURI && slices.Equal(a.Updates, b.Updates)
}

// TestProvisionalIndexFileAsWhole: however a provisional index file is read, it reads the same, and a
// file as built batches write it is read one reference at a time.
func TestProvisionalIndexFileAsWhole(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seeds", "provisionalIndex.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(seed)
	chunks := `"chunks":[{"chunkFileUri":"` + cid + `"}]`
	tests := []struct {
		name, in string
		streams  bool
	}{
		{"as written", s, true},
		{"white space", strings.ReplaceAll(strings.ReplaceAll(s, `,`, " ,\n\t"), `:`, ` : `), true},
		{"no updates", `{` + chunks + `}`, true},
		{"empty updates", `{` + chunks + `,"operations":{"update":[]}}`, true},
		{"operations without updates", `{` + chunks + `,"operations":{}}`, false},
		{"a proof file without updates", `{` + chunks + `,"provisionalProofFileUri":"` + cid + `"}`, false},
		{"no proof file", strings.Replace(s, `"provisionalProofFileUri"`, `"provisionalProofFileUrl"`, 1), false},
		{"no chunks", `{"operations":{"update":[]}}`, false},
		{"two chunks", `{"chunks":[{"chunkFileUri":"` + cid + `"},{"chunkFileUri":"` + cid + `"}]}`, false},
		{"a chunk with two properties", `{"chunks":[{"chunkFileUri":"` + cid + `","x":1}]}`, false},
		{"a chunk that is not an object", `{"chunks":["` + cid + `"]}`, false},
		{"chunks not an array", `{"chunks":{"chunkFileUri":"` + cid + `"}}`, false},
		{"a long chunk file URI", `{"chunks":[{"chunkFileUri":"` + strings.Repeat("Q", 101) + `"}]}`, false},
		{"an invalid update reference", strings.Replace(s, `"update":[{"didSuffix":"`, `"update":[{"didSuffix":"x`, 1), false},
		{"a DID twice", strings.Replace(s, `"update":[`, `"update":[{"didSuffix":"EiA2ftuTMxpXcDajPdJiFJXPBUWDPMj2rlXc_85Je-_6nQ","revealValue":"EiAs-SGfaOv4now0BWIzhtLmxo4d9SACBv2mPJl2qmKv2Q"},`, 1), false},
		{"an unknown member", strings.Replace(s, `{"chunks":`, `{"x":1,"chunks":`, 1), false},
		{"a member repeated", strings.Replace(s, `{"chunks":`, `{"chunks":[],"chunks":`, 1), false},
		{"yieldable-json", strings.Replace(s, `,"operations"`, ",\x01\"operations\"", 1), false},
	}
	p := sidetree.Mainnet().Latest()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkAsWhole(t, tc.in, tc.streams, fileReadings[*ProvisionalIndexFile]{
				parse:  func(data []byte) (*ProvisionalIndexFile, error) { return ParseProvisionalIndexFile(data, p) },
				stream: func(text []byte) (*ProvisionalIndexFile, bool) { return streamProvisionalIndexFile(text, p) },
				whole:  func(text []byte) (*ProvisionalIndexFile, error) { return parseProvisionalIndexWhole(text, p) },
				same:   sameProvisionalIndex,
			})
		})
	}
}

// FuzzProvisionalIndexFileAsWhole: a provisional index file reads as it does whole, with the same error.
func FuzzProvisionalIndexFileAsWhole(f *testing.F) {
	p := sidetree.Mainnet().Latest()
	fuzzAsWhole(f, p.MaxProvisionalIndexFileSizeInBytes,
		func(data []byte) (*ProvisionalIndexFile, error) { return ParseProvisionalIndexFile(data, p) },
		func(text []byte) (*ProvisionalIndexFile, error) { return parseProvisionalIndexWhole(text, p) },
		sameProvisionalIndex)
}
