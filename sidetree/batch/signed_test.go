package batch

import (
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
			cas, written, tx := builtBatch(t, requests, p)
			chunkURI := ""
			for _, w := range written {
				if w.Kind == "chunk" {
					chunkURI = w.URI
				}
			}
			var parts []SignedPart
			calls := 0
			r := recordingReader(t, p, cas, chunkURI, &parts, &calls)
			ops, err := r.Read(tx)
			if err != nil || len(ops) != len(requests) || calls != 1 {
				t.Fatalf("%d operations of %d, %d calls, %v", len(ops), len(requests), calls, err)
			}
			checkPartVerdicts(t, parts, ops)
			for _, part := range parts {
				// Every proof comes already parsed: the streamed provisional proof file's updates and the
				// core proof file's recovers and deactivates.
				if (part.Parsed != nil) != (part.SignedData != "") {
					t.Errorf("%s %d: parsed form %v", part.Type, part.Index, part.Parsed != nil)
				}
				if part.Parsed != nil && part.Parsed.JWS.Compact() != part.SignedData {
					t.Errorf("%s %d: parsed JWS %q is not its proof %q", part.Type, part.Index, part.Parsed.JWS.Compact(), part.SignedData)
				}
			}
		})
	}
}

// checkPartVerdicts checks that parts describe every signed operation of ops once, at its index, and
// that each part's verdict (from its parsed JWS when it has one) is ComputeVerdict's of the body Read
// composed; the batch must mix valid and forged signatures.
func checkPartVerdicts(t *testing.T, parts []SignedPart, ops []sidetree.AnchoredOperation) {
	t.Helper()
	covered := map[int]bool{}
	seen := map[sidetree.Verdict]int{}
	for _, part := range parts {
		op := ops[part.Index]
		if op.Type != part.Type || op.DIDSuffix != part.DIDSuffix || covered[part.Index] {
			t.Fatalf("part %+v: operation %d is a %s of %s", part, part.Index, op.Type, op.DIDSuffix)
		}
		covered[part.Index] = true
		want := sidetree.ComputeVerdict(op.Raw)
		got := sidetree.PartsVerdict(part.Type, part.DIDSuffix, part.RevealValue, part.SignedData)
		if got != want {
			t.Errorf("%s %d: verdict from its parts %s, from its body %s", op.Type, part.Index, got, want)
		}
		if part.Parsed != nil {
			if parsed := sidetree.ParsedPartsVerdict(part.Type, part.DIDSuffix, part.RevealValue, *part.Parsed); parsed != want {
				t.Errorf("%s %d: verdict from its parsed parts %s, from its body %s", op.Type, part.Index, parsed, want)
			}
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
}

// recordingReader reads cas, appending to *parts what Signed receives (an error for any part handed over
// after the chunk file is fetched) and counting Signed's calls in *calls.
func recordingReader(t *testing.T, p sidetree.Parameters, cas memCAS, chunkURI string, parts *[]SignedPart, calls *int) *Reader {
	t.Helper()
	chunkFetched := false
	return &Reader{Parameters: p, Fetch: func(uri string, max int) ([]byte, error) {
		chunkFetched = chunkFetched || uri == chunkURI
		return cas.fetch(uri, max)
	}, Signed: func(ps []SignedPart) {
		if chunkFetched {
			t.Error("parts handed over after the chunk file was fetched")
		}
		*parts, *calls = append(*parts, ps...), *calls+1
	}}
}
