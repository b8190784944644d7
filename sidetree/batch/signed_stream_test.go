package batch

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// TestSignedPartsStreamed: with Void set, the reader hands each update over as the provisional proof
// file streams, before the chunk file is fetched. When that file has to be read whole (here: a second
// "operations" member, which JSON.parse lets win over the first), it voids the parts it handed over and
// hands every part again; the parts that hold in the end are those Read composed, each with the verdict
// ComputeVerdict gives the composed body.
func TestSignedPartsStreamed(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	requests, _ := randomBatch(t, 60, 5)
	requests = forgeEvery(t, requests)
	for _, whole := range []bool{false, true} {
		t.Run(fmt.Sprintf("read whole %v", whole), func(t *testing.T) {
			cas := memCAS{}
			anchor, written, err := Build(requests, "", p, cas.put)
			if err != nil {
				t.Fatal(err)
			}
			var count int
			var coreURI, chunkURI string
			fmt.Sscanf(anchor, "%d.%s", &count, &coreURI)
			for _, w := range written {
				switch {
				case w.Kind == "chunk":
					chunkURI = w.URI
				case w.Kind == "provisionalProof" && whole:
					cas[w.URI] = compress(rotatedFirst(t, w.Data, p))
				}
			}
			var parts []SignedPart
			calls, voids, voided := 0, 0, 0
			r := recordingReader(t, p, cas, chunkURI, &parts, &calls)
			r.Void = func() { voided, parts, voids = len(parts), nil, voids+1 }
			ops, err := r.Read(Transaction{Number: 1, Time: 1, OperationCount: count, CoreIndexFileURI: coreURI})
			if err != nil || len(ops) != len(requests) {
				t.Fatalf("%d operations of %d: %v", len(ops), len(requests), err)
			}
			updates := 0
			for _, op := range ops {
				if op.Type == sidetree.OpUpdate {
					updates++
				}
			}
			if whole && (voids != 1 || voided <= len(parts)-updates) || !whole && (voids != 0 || calls != 1+updates) {
				t.Fatalf("%d updates: %d calls, %d voids after %d parts", updates, calls, voids, voided)
			}
			checkPartVerdicts(t, parts, ops)
		})
	}
}

// rotatedFirst returns a provisional proof file whose first "operations" member holds its proofs
// rotated by one (each valid in form, signing for another DID) and whose second, the one JSON.parse
// keeps, holds them as they were.
func rotatedFirst(t *testing.T, compressed []byte, p sidetree.Parameters) []byte {
	t.Helper()
	raw, err := decompressFile(nil, compressed, p.MaxProofFileSizeInBytes, sidetree.CodeProvisionalProofFileDecompressionFailure)
	if err != nil {
		t.Fatal(err)
	}
	const head = `{"operations":{"update":`
	text := string(raw)
	if !strings.HasPrefix(text, head) || !strings.HasSuffix(text, "}}") {
		t.Fatalf("unexpected provisional proof file %.60s", text)
	}
	var proofs []json.RawMessage
	if err := json.Unmarshal([]byte(text[len(head):len(text)-2]), &proofs); err != nil || len(proofs) < 2 {
		t.Fatalf("%d proofs: %v", len(proofs), err)
	}
	rotated, err := json.Marshal(append(proofs[1:], proofs[0]))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(head + string(rotated) + "}," + text[1:])
}
