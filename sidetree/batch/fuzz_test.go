package batch

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// The fuzz targets feed decompressed JSON (wrapped in gzip here, so the fuzzer explores the JSON rules
// rather than the gzip format) and raw bytes (the gzip path). Seeds: testdata/seeds/*.json, real files of
// a built batch.
//
// Run each with a short minimization time: the fuzzer otherwise spends up to a minute minimizing every
// new input of these ~1 KB files, which looks like a hang (execs stop counting):
//
//	go test -run='^$' -fuzz='^FuzzParseChunkFile$' -fuzztime=60s -fuzzminimizetime=3s ./sidetree/batch/

func seeds(f *testing.F) {
	f.Helper()
	paths, _ := filepath.Glob(filepath.Join("testdata", "seeds", "*.json"))
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, false)
	}
	f.Add([]byte(`{}`), true)
}

func fuzzFile(f *testing.F, parse func([]byte) error) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte, raw bool) {
		if !raw {
			data = compress(data)
		}
		_ = parse(data) // must not panic; errors are the point
	})
}

func FuzzParseCoreIndexFile(f *testing.F) {
	fuzzFile(f, coreParser(sidetree.Mainnet().Latest()))
}

func FuzzParseProvisionalIndexFile(f *testing.F) {
	fuzzFile(f, provParser(sidetree.Mainnet().Latest()))
}

func FuzzParseCoreProofFile(f *testing.F) {
	fuzzFile(f, coreProofParser(sidetree.Mainnet().Latest(), []string{mh}))
}

// FuzzParseChunkFile also checks that an accepted file's deltas are what its whole reading holds.
func FuzzParseChunkFile(f *testing.F) {
	seeds(f)
	p := sidetree.Mainnet().Latest()
	f.Fuzz(func(t *testing.T, data []byte, raw bool) {
		if !raw {
			data = compress(data)
		}
		chunk, err := ParseChunkFile(data, p)
		if err != nil {
			return
		}
		text, err := decompress(nil, data, p.MaxChunkFileSizeInBytes*decompressionMultiplier, "", "")
		if err != nil {
			t.Fatal(err)
		}
		checkChunkDeltas(t, text, chunk.Deltas)
	})
}

// TestWriteSeeds regenerates the seed corpus from a built batch when IONODE_WRITE_SEEDS is set.
func TestWriteSeeds(t *testing.T) {
	if os.Getenv("IONODE_WRITE_SEEDS") == "" {
		t.Skip("set IONODE_WRITE_SEEDS=1 to regenerate testdata/seeds")
	}
	requests, _ := randomBatch(t, 8, 5)
	_, files, err := Build(requests, "lock", sidetree.Mainnet().Latest(), memCAS{}.put)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join("testdata", "seeds"), 0o755)
	for _, w := range files {
		raw, err := decompress(nil, w.Data, 1<<24, "", "")
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join("testdata", "seeds", w.Kind+".json"), raw, 0o644)
	}
}
