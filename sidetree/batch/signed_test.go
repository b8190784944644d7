package batch

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// forgeEvery swaps the signature of every third signed request for the next one's, so that a batch
// mixes valid and invalid signatures of every type.
func forgeEvery(t *testing.T, requests [][]byte) [][]byte {
	t.Helper()
	var signed []int
	for i, raw := range requests {
		if !strings.Contains(string(raw), `"type":"create"`) {
			signed = append(signed, i)
		}
	}
	out := append([][]byte(nil), requests...)
	for k := 0; k+1 < len(signed); k += 3 {
		own, other := signature(t, requests[signed[k]]), signature(t, requests[signed[k+1]])
		out[signed[k]] = []byte(strings.Replace(string(requests[signed[k]]), own, other, 1))
	}
	return out
}

func signature(t *testing.T, raw []byte) string {
	t.Helper()
	v, err := sidetree.ParseJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	jws, _ := v.Field("signedData").Str()
	return jws[strings.LastIndexByte(jws, '.'):]
}

// TestSignedParts: the reader hands over every recover, deactivate and update before it fetches the
// chunk file, each at the index Compose gives it, and the verdict from its parts is ComputeVerdict's of
// the body Read composes.
func TestSignedParts(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	requests, _ := randomBatch(t, 60, 5)
	deactivatesOnly := [][]byte{}
	for _, raw := range requests {
		if strings.Contains(string(raw), `"type":"deactivate"`) {
			deactivatesOnly = append(deactivatesOnly, raw)
		}
	}
	for name, requests := range map[string][][]byte{"every type": forgeEvery(t, requests), "deactivates only": forgeEvery(t, deactivatesOnly)} {
		t.Run(name, func(t *testing.T) {
			cas := memCAS{}
			anchor, written, err := Build(requests, "", p, cas.put)
			if err != nil {
				t.Fatal(err)
			}
			var count int
			var coreURI string
			fmt.Sscanf(anchor, "%d.%s", &count, &coreURI)
			chunkURI, chunkFetched := "", false
			for _, w := range written {
				if w.Kind == "chunk" {
					chunkURI = w.URI
				}
			}
			var parts []SignedPart
			calls := 0
			r := &Reader{Parameters: p, Fetch: func(uri string, max int) ([]byte, error) {
				chunkFetched = chunkFetched || uri == chunkURI
				return cas.fetch(uri, max)
			}, Signed: func(ps []SignedPart) {
				if chunkFetched {
					t.Error("parts handed over after the chunk file was fetched")
				}
				parts, calls = ps, calls+1
			}}
			ops, err := r.Read(Transaction{Number: 1, Time: 1, OperationCount: count, CoreIndexFileURI: coreURI})
			if err != nil || len(ops) != len(requests) || calls != 1 {
				t.Fatalf("%d operations of %d, %d calls, %v", len(ops), len(requests), calls, err)
			}
			covered := map[int]bool{}
			seen := map[sidetree.Verdict]int{}
			for _, part := range parts {
				op := ops[part.Index]
				if op.Type != part.Type || op.DIDSuffix != part.DIDSuffix || covered[part.Index] {
					t.Fatalf("part %+v: operation %d is a %s of %s", part, part.Index, op.Type, op.DIDSuffix)
				}
				covered[part.Index] = true
				got, want := sidetree.PartsVerdict(part.Type, part.DIDSuffix, part.RevealValue, part.SignedData), sidetree.ComputeVerdict(op.Raw)
				if got != want {
					t.Errorf("%s %d: verdict from its parts %s, from its body %s", op.Type, part.Index, got, want)
				}
				seen[got]++
			}
			for i, op := range ops {
				if !covered[i] && op.Type != sidetree.OpCreate {
					t.Errorf("%s %d has no part", op.Type, i)
				}
			}
			if seen[sidetree.VerdictValid] == 0 || seen[sidetree.VerdictInvalid] == 0 {
				t.Errorf("the batch should mix valid and forged signatures: %v", seen)
			}
		})
	}
}
