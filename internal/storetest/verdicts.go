package storetest

import (
	"bytes"
	"context"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// testVerdicts: an operation's signature verdict is stored with it and replaced with it.
func testVerdicts(t *testing.T, open Open) {
	s := open(t)
	valid, invalid, unknown := Op("did-v", 1_000_000, 0), Op("did-v", 1_000_000, 1), Op("did-v", 2_000_000, 0)
	valid.Verdict, invalid.Verdict = sidetree.VerdictValid, sidetree.VerdictInvalid
	mustPut(t, s, valid, invalid, unknown)
	checkOps(t, s, "did-v", []sidetree.AnchoredOperation{valid, invalid, unknown})

	// A replacement brings its own verdict; the same bytes with a verdict now known replace the record.
	replaced := valid
	replaced.Raw, replaced.Verdict = []byte(`{"other":"bytes"}`), sidetree.VerdictInvalid
	known := unknown
	known.Verdict = sidetree.VerdictValid
	mustPut(t, s, replaced, known)
	checkOps(t, s, "did-v", []sidetree.AnchoredOperation{replaced, invalid, known})
}

// backfillVerdict stands in for sidetree.ComputeVerdict on the suite's bodies (which are not
// operations): a verdict that depends on the bytes, so that a verdict stored on other bytes shows.
func backfillVerdict(raw []byte) sidetree.Verdict {
	if bytes.Contains(raw, []byte(`"index":1`)) || bytes.Contains(raw, []byte(`"index":3`)) {
		return sidetree.VerdictInvalid
	}
	return sidetree.VerdictValid
}

// testBackfillVerdicts: the operations stored without a verdict get one, computed from their bytes, in
// chunks; the operations with one are left alone; an operation replaced while its verdict was computed
// keeps the replacement's; generations do not move.
func testBackfillVerdicts(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	var ops []sidetree.AnchoredOperation
	for i := range uint32(5) {
		ops = append(ops, Op("did-a", 1_000_000, i), Op("did-b", 2_000_000, i))
	}
	ops[0].Verdict = sidetree.VerdictInvalid // known already: must not be computed again
	mustPut(t, s, ops...)
	_, genA := mustOps(t, s, "did-a")
	race := Op("did-b", 2_000_000, 4)
	race.Raw = []byte(`{"replaced":"while computing"}`)

	var computed, progress []int
	n, err := s.BackfillVerdicts(ctx, 3, func(ctx context.Context, chunk []sidetree.AnchoredOperation) error {
		if len(chunk) > 3 {
			t.Errorf("chunk of %d operations, limit 3", len(chunk))
		}
		for i := range chunk {
			if chunk[i].Verdict != sidetree.VerdictUnknown {
				t.Errorf("operation %s %d.%d with a verdict was passed to compute", chunk[i].DIDSuffix, chunk[i].TransactionNumber, chunk[i].OperationIndex)
			}
			chunk[i].Verdict = backfillVerdict(chunk[i].Raw)
			if chunk[i].DIDSuffix == race.DIDSuffix && chunk[i].OperationIndex == race.OperationIndex {
				if err := s.PutOperations(ctx, []sidetree.AnchoredOperation{race}); err != nil {
					t.Fatal(err)
				}
			}
		}
		computed = append(computed, len(chunk))
		return nil
	}, func(done int) { progress = append(progress, done) })
	if err != nil {
		t.Fatalf("BackfillVerdicts: %v", err)
	}
	if n != len(ops)-1 || len(progress) == 0 || progress[len(progress)-1] != n || len(computed) < 3 {
		t.Errorf("backfilled %d (progress %v, chunks %v), want %d in chunks of at most 3", n, progress, computed, len(ops)-1)
	}
	want := map[string][]sidetree.AnchoredOperation{}
	for _, op := range ops {
		if op.Verdict == sidetree.VerdictUnknown {
			op.Verdict = backfillVerdict(op.Raw)
		}
		if op.DIDSuffix == race.DIDSuffix && op.OperationIndex == race.OperationIndex {
			op = race // the replacement and its unknown verdict, not the one computed from other bytes
		}
		want[op.DIDSuffix] = append(want[op.DIDSuffix], op)
	}
	if gen := checkOps(t, s, "did-a", want["did-a"]); gen != genA {
		t.Errorf("generation moved from %d to %d: a verdict changes no resolution", genA, gen)
	}
	checkOps(t, s, "did-b", want["did-b"])

	// Only the replacement is left without a verdict.
	n, err = s.BackfillVerdicts(ctx, 100, func(_ context.Context, chunk []sidetree.AnchoredOperation) error {
		for i := range chunk {
			chunk[i].Verdict = backfillVerdict(chunk[i].Raw)
		}
		return nil
	}, func(int) {})
	if err != nil || n != 1 {
		t.Errorf("second backfill: %d operations, %v; want 1 (the replacement)", n, err)
	}
	race.Verdict = backfillVerdict(race.Raw)
	want["did-b"][4] = race
	checkOps(t, s, "did-b", want["did-b"])
}
