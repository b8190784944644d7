package node

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// mixedSignedBatch builds a batch of creates, updates, recovers and deactivates of distinct DIDs, some
// carrying another operation's signature and two updates revealing each other's key, with its files in
// a mapCAS. It returns the anchor string and the chunk file's URI.
func mixedSignedBatch(t *testing.T) (mapCAS, string, string) {
	t.Helper()
	p := sidetree.Mainnet().Latest()
	key := func() sidetree.JWK { return testKey(t, rand.Reader) }
	var requests [][]byte
	var signed []sidetree.Value
	for i := range 24 {
		recovery, update := key(), key()
		c, err := sidetree.NewCreateRequest("ion", recovery, update, sidetree.Document{}, p)
		if err != nil {
			t.Fatal(err)
		}
		var body sidetree.Value
		switch i % 4 {
		case 0:
			requests = append(requests, c.Body.Stringify())
			continue
		case 1:
			body, err = sidetree.NewUpdateRequest(c.DIDSuffix, update, key(), sidetree.UpdateChanges{RemoveServiceIDs: []string{"s"}}, p)
		case 2:
			body, err = sidetree.NewRecoverRequest(c.DIDSuffix, recovery, key(), key(), sidetree.Document{}, p)
		default:
			body, err = sidetree.NewDeactivateRequest(c.DIDSuffix, recovery, p)
		}
		if err != nil {
			t.Fatal(err)
		}
		signed = append(signed, body)
	}
	// Every fourth signed operation carries the next one's signature.
	for i := 0; i+1 < len(signed); i += 4 {
		own, _ := signed[i].Field("signedData").Str()
		other, _ := signed[i+1].Field("signedData").Str()
		signed[i].Set("signedData", sidetree.String(own[:strings.LastIndexByte(own, '.')]+other[strings.LastIndexByte(other, '.'):]))
	}
	for _, s := range signed {
		requests = append(requests, s.Stringify())
	}
	files := mapCAS{}
	anchor, written, err := batch.Build(requests, "", p, files.put)
	if err != nil {
		t.Fatal(err)
	}
	uri := map[string]string{}
	for _, w := range written {
		uri[w.Kind] = w.URI
	}
	// The first two updates reveal each other's key: their bodies no longer parse (batch.Build refuses
	// such requests, so the provisional index file is rewritten, and the core index file that names it).
	prov := gunzipString(t, files[uri["provisionalIndex"]])
	reveals := strings.Split(prov, `"revealValue":"`)
	first, second := reveals[1][:strings.IndexByte(reveals[1], '"')], reveals[2][:strings.IndexByte(reveals[2], '"')]
	prov = strings.Replace(strings.Replace(strings.Replace(prov, first, "FIRST", 1), second, first, 1), "FIRST", second, 1)
	newProv, _ := files.put(gzipString(t, prov))
	core := strings.Replace(gunzipString(t, files[uri["coreIndex"]]), uri["provisionalIndex"], newProv, 1)
	newCore, _ := files.put(gzipString(t, core))
	return files, strings.Replace(anchor, uri["coreIndex"], newCore, 1), uri["chunk"]
}

func gunzipString(t *testing.T, data []byte) string {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func gzipString(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestFileProcessorVerdictsFromParts: on any number of workers, ingest returns the operations of the
// sequential reading, in its order, each with the verdict ComputeVerdict gives its bytes, valid and
// forged signatures and mismatched reveal values alike; so does a read whose chunk file is invalid
// (the verdicts then come from the bytes of the core operations it keeps).
func TestFileProcessorVerdictsFromParts(t *testing.T) {
	files, anchor, chunk := mixedSignedBatch(t)
	tx := Transaction{Number: 700_000_000_001, Time: 700_000, AnchorString: anchor, FeePaid: 1000, NormalizedFee: 1000, Writer: "w"}
	for _, bad := range []bool{false, true} {
		if bad {
			files[chunk] = gzipString(t, `{"deltas":[1]}`)
		}
		var first []sidetree.AnchoredOperation
		for _, workers := range []int{1, 2, 3, 8} {
			proc := &FileProcessor{Network: sidetree.Mainnet(), CAS: files, Workers: workers}
			ops, err := proc.Operations(context.Background(), tx)
			if (err != nil) != bad || len(ops) == 0 {
				t.Fatalf("invalid chunk %v, workers %d: %d operations, %v", bad, workers, len(ops), err)
			}
			seen := map[sidetree.Verdict]int{}
			for i, op := range ops {
				if want := sidetree.ComputeVerdict(op.Raw); op.Verdict != want {
					t.Errorf("invalid chunk %v, workers %d: %s %d: verdict %s, from its bytes %s", bad, workers, op.Type, i, op.Verdict, want)
				}
				if first != nil && (!bytes.Equal(op.Raw, first[i].Raw) || op.OperationIndex != first[i].OperationIndex || op.Verdict != first[i].Verdict) {
					t.Errorf("invalid chunk %v, workers %d: operation %d differs from one worker's", bad, workers, i)
				}
				seen[op.Verdict]++
			}
			// 6 creates, 5 forged signatures (3 kept with an invalid chunk file), 1 more mismatched reveal.
			if want := map[bool]int{false: 12, true: 9}[bad]; seen[sidetree.VerdictValid] != want || seen[sidetree.VerdictInvalid] != want || len(first) != 0 && len(ops) != len(first) {
				t.Errorf("invalid chunk %v, workers %d: %d operations, verdicts %v", bad, workers, len(ops), seen)
			}
			first = ops
		}
	}
}

// cancelingCAS cancels its context when the chunk file is fetched: after the signed parts are handed
// over, while their verdicts are being computed.
type cancelingCAS struct {
	mapCAS
	chunk  string
	cancel context.CancelFunc
}

func (c cancelingCAS) Get(ctx context.Context, cid string, max int64) ([]byte, error) {
	if cid == c.chunk {
		c.cancel()
	}
	return c.mapCAS.Get(ctx, cid, max)
}

// TestFileProcessorCanceledLeavesNoGoroutine: a context canceled while the verdicts are computed ends
// ingest with its error, and every goroutine it started has ended.
func TestFileProcessorCanceledLeavesNoGoroutine(t *testing.T) {
	files, anchor, chunk := mixedSignedBatch(t)
	tx := Transaction{Number: 700_000_000_001, Time: 700_000, AnchorString: anchor, FeePaid: 1000, NormalizedFee: 1000, Writer: "w"}
	before := runtime.NumGoroutine()
	for _, workers := range []int{1, 2, 8} {
		ctx, cancel := context.WithCancel(context.Background())
		proc := &FileProcessor{Network: sidetree.Mainnet(), CAS: cancelingCAS{files, chunk, cancel}, Workers: workers}
		if _, err := proc.Operations(ctx, tx); !errors.Is(err, context.Canceled) {
			t.Errorf("workers %d: %v, want context.Canceled", workers, err)
		}
	}
	// A goroutine past its last statement may still be counted for a moment.
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines, %d before", runtime.NumGoroutine(), before)
		}
	}
}
