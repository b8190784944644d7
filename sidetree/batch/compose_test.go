package batch

import (
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// TestComposeReleasesFiles: Compose clears each suffix data, delta and proof it has composed, so that
// the parsed files do not stay in memory beside the request bodies built from them.
func TestComposeReleasesFiles(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	requests, _ := randomBatch(t, 40, 3)
	cas, _, tx := builtBatch(t, requests, p)
	r := &Reader{Parameters: p, Fetch: cas.fetch}
	core, coreProof, err := r.readCore(tx, new(readBuffer))
	if err != nil {
		t.Fatal(err)
	}
	prov, provProof, chunk, err := r.readProvisional(tx, core, coreProof, new(readBuffer))
	if err != nil {
		t.Fatal(err)
	}
	if len(core.Creates) == 0 || len(core.Recovers) == 0 || len(core.Deactivates) == 0 || len(prov.Updates) == 0 {
		t.Fatalf("the batch should hold every type: %d creates, %d recovers, %d deactivates, %d updates",
			len(core.Creates), len(core.Recovers), len(core.Deactivates), len(prov.Updates))
	}
	if ops := Compose(tx.Number, tx.Time, Files{core, coreProof, prov, provProof, chunk}); len(ops) != tx.OperationCount {
		t.Fatalf("%d operations composed, want %d", len(ops), tx.OperationCount)
	}
	for i, d := range chunk.Deltas {
		if d != nil {
			t.Errorf("delta %d kept", i)
		}
	}
	for i, sd := range core.Creates {
		if sd != nil {
			t.Errorf("suffix data %d kept", i)
		}
	}
	for _, proofs := range [][]string{coreProof.Recovers, coreProof.Deactivates, provProof.Updates} {
		for i, proof := range proofs {
			if proof != "" {
				t.Errorf("proof %d kept", i)
			}
		}
	}
}

// TestComposeBodiesApart: the bodies share slab blocks, so each must be capped at its length: appending
// to one must not write into the next, and a later Read must not change them.
func TestComposeBodiesApart(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	requests, _ := randomBatch(t, 40, 4)
	cas, _, tx := builtBatch(t, requests, p)
	r := &Reader{Parameters: p, Fetch: cas.fetch}
	ops, err := r.Read(tx)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]string, len(ops))
	for i, op := range ops {
		want[i] = string(op.Raw)
	}
	for i := range ops {
		_ = append(ops[i].Raw, "}}}}"...)
	}
	if _, err := r.Read(tx); err != nil {
		t.Fatal(err)
	}
	for i, op := range ops {
		if string(op.Raw) != want[i] {
			t.Fatalf("body %d changed: %s", i, op.Raw)
		}
	}
}
