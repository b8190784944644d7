package batch

import (
	"bytes"
	stdgzip "compress/gzip"
	"io"
	"sync"
	"testing"

	kpgzip "github.com/klauspost/compress/gzip"

	"github.com/ionode/ionode/internal/cputime/cputimetest"
	"github.com/ionode/ionode/sidetree"
)

var (
	benchOnce     sync.Once
	benchRequests map[string][][]byte
)

// benchBatches are ION's largest batch (10,000 operations) of creates only, of a mix of all four, and of
// half creates and half updates (the shape bench/compare reads against the reference).
func benchBatches(b *testing.B) map[string][][]byte {
	benchOnce.Do(func() {
		mixed, _ := randomBatch(b, 10_000, 77)
		var creates, updates [][]byte
		seen := map[string]bool{} // a batch holds one operation per DID
		for len(creates) < 10_000 {
			more, _ := randomBatch(b, 2_000, uint64(len(creates)))
			for _, r := range more {
				op, _ := sidetree.ParseOperation(r)
				if seen[op.DIDSuffix] {
					continue
				}
				seen[op.DIDSuffix] = true
				switch op.Type {
				case sidetree.OpCreate:
					creates = append(creates, r)
				case sidetree.OpUpdate:
					updates = append(updates, r)
				}
			}
		}
		half := append(append([][]byte(nil), creates[:5_000]...), updates[:5_000]...)
		benchRequests = map[string][][]byte{"mixed": mixed, "creates": creates[:10_000], "half": half}
	})
	return benchRequests
}

func BenchmarkBuild10k(b *testing.B) {
	p := sidetree.Mainnet().Latest()
	for _, kind := range []string{"creates", "mixed"} {
		requests := benchBatches(b)[kind]
		b.Run(kind, func(b *testing.B) {
			for range b.N {
				if _, _, err := Build(requests, "", p, memCAS{}.put); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRead10k(b *testing.B) {
	p := sidetree.Mainnet().Latest()
	for _, kind := range []string{"creates", "mixed", "half"} {
		requests := benchBatches(b)[kind]
		cas, _, tx := builtBatch(b, requests, p)
		r := &Reader{Parameters: p, Fetch: cas.fetch}
		b.Run(kind, func(b *testing.B) {
			b.ReportAllocs()
			defer cputimetest.Report(b)()
			for range b.N {
				ops, err := r.Read(tx)
				if err != nil || len(ops) != 10_000 {
					b.Fatal(len(ops), err)
				}
			}
		})
	}
}

// BenchmarkGunzip10k is the gunzip part of BenchmarkRead10k: every file of the batch decompressed, as
// Read does, and nothing else. The difference between the two is parsing, validation and composition.
func BenchmarkGunzip10k(b *testing.B) {
	p := sidetree.Mainnet().Latest()
	for _, kind := range []string{"creates", "mixed"} {
		cas := memCAS{}
		if _, _, err := Build(benchBatches(b)[kind], "", p, cas.put); err != nil {
			b.Fatal(err)
		}
		max := p.MaxChunkFileSizeInBytes * decompressionMultiplier
		b.Run(kind, func(b *testing.B) {
			n := 0
			for _, data := range cas {
				raw, err := decompress(nil, data, max, "", "")
				if err != nil {
					b.Fatal(err)
				}
				n += len(raw)
			}
			b.SetBytes(int64(n))
			defer cputimetest.Report(b)()
			for range b.N {
				for _, data := range cas {
					if _, err := decompress(nil, data, max, "", ""); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// gunzipper is what compress/gzip's and klauspost/compress's readers share.
type gunzipper interface {
	io.Reader
	Reset(io.Reader) error
	Multistream(bool)
}

// BenchmarkInflate10k compares the two gzip readers on the same batch files, side by side in one run,
// each reading into a buffer reused across files: the inflate stage alone, without decompress's checks.
func BenchmarkInflate10k(b *testing.B) {
	p := sidetree.Mainnet().Latest()
	for _, kind := range []string{"creates", "mixed"} {
		cas := memCAS{}
		if _, _, err := Build(benchBatches(b)[kind], "", p, cas.put); err != nil {
			b.Fatal(err)
		}
		for _, impl := range []struct {
			name string
			zr   gunzipper
		}{{"std", new(stdgzip.Reader)}, {"klauspost", new(kpgzip.Reader)}} {
			b.Run(kind+"/"+impl.name, func(b *testing.B) {
				var out bytes.Buffer
				inflate := func() int {
					n := 0
					for _, data := range cas {
						out.Reset()
						if err := impl.zr.Reset(bytes.NewReader(data)); err != nil {
							b.Fatal(err)
						}
						impl.zr.Multistream(false)
						if _, err := out.ReadFrom(impl.zr); err != nil {
							b.Fatal(err)
						}
						n += out.Len()
					}
					return n
				}
				b.SetBytes(int64(inflate()))
				b.ReportAllocs()
				defer cputimetest.Report(b)()
				for range b.N {
					inflate()
				}
			})
		}
	}
}
