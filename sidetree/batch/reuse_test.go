package batch

import (
	"bytes"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// TestOperationsOutliveNextRead: what Read returns stays as it was while later reads reuse memory (the
// chunk file's buffer, the gzip readers): the node stores the operations after other reads have run.
func TestOperationsOutliveNextRead(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	first, _ := randomBatch(t, 80, 11)
	second, _ := randomBatch(t, 40, 12) // smaller: its files fit in memory the first read used
	casA, _, txA := builtBatch(t, first, p)
	casB, _, txB := builtBatch(t, second, p)
	opsA, err := (&Reader{Parameters: p, Fetch: casA.fetch}).Read(txA)
	if err != nil {
		t.Fatal(err)
	}
	kept := make([]sidetree.AnchoredOperation, len(opsA))
	for i, op := range opsA {
		kept[i] = op
		kept[i].Raw = bytes.Clone(op.Raw)
		kept[i].DIDSuffix = string(append([]byte(nil), op.DIDSuffix...))
	}
	// Several reads of another batch, by other readers, as the node's concurrent transactions do.
	for range 3 {
		if _, err := (&Reader{Parameters: p, Fetch: casB.fetch}).Read(txB); err != nil {
			t.Fatal(err)
		}
	}
	for i, op := range opsA {
		if op.DIDSuffix != kept[i].DIDSuffix || !bytes.Equal(op.Raw, kept[i].Raw) || op.Type != kept[i].Type {
			t.Fatalf("operation %d changed after later reads:\nwas %s %s\nnow %s %s", i, kept[i].DIDSuffix, kept[i].Raw, op.DIDSuffix, op.Raw)
		}
	}
}

// TestReadWithoutSignedKeepsNoPayloads: without Signed, nothing takes the parsed proofs, so the read does
// not hold every payload of the provisional proof file until it returns.
func TestReadWithoutSignedKeepsNoPayloads(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	requests, _ := randomBatch(t, 40, 13)
	cas, _, tx := builtBatch(t, requests, p)
	r := &Reader{Parameters: p, Fetch: cas.fetch}
	core, coreProof, err := r.readCore(tx)
	if err != nil {
		t.Fatal(err)
	}
	_, proof, _, err := r.readProvisional(tx, core, coreProof, nil)
	if err != nil || proof == nil || len(proof.Updates) == 0 {
		t.Fatalf("no updates read (%v)", err)
	}
	if len(proof.parsed) != 0 {
		t.Fatalf("%d parsed proofs kept for no one", len(proof.parsed))
	}
}
