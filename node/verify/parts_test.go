package verify

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// signedParts is n copies of one valid update's parts (from mixedBatch): each costs a full verification.
func signedParts(t *testing.T, n int) []batch.SignedPart {
	t.Helper()
	for _, op := range mixedBatch(t, 5) {
		if op.Type != sidetree.OpUpdate || sidetree.ComputeVerdict(op.Raw) != sidetree.VerdictValid {
			continue
		}
		body, err := sidetree.ParseJSON(op.Raw)
		if err != nil {
			t.Fatal(err)
		}
		field := func(k string) string { s, _ := body.Field(k).Str(); return s }
		parts := make([]batch.SignedPart, n)
		for i := range parts {
			parts[i] = batch.SignedPart{Index: i, Type: sidetree.OpUpdate, SignedData: field("signedData"),
				Reference: batch.Reference{DIDSuffix: field("didSuffix"), RevealValue: field("revealValue")}}
		}
		return parts
	}
	t.Fatal("no valid update in the batch")
	return nil
}

// TestStopJoinsWorkers: once Stop returns, no goroutine of the Pending computes or writes anything.
func TestStopJoinsWorkers(t *testing.T) {
	for _, workers := range []int{2, 4} {
		p := Start(context.Background(), signedParts(t, 2000), workers)
		time.Sleep(time.Millisecond) // let them start
		p.Stop()
		done := slices.Clone(p.verdicts)
		time.Sleep(20 * time.Millisecond)
		if !slices.Equal(done, p.verdicts) {
			t.Errorf("workers %d: verdicts still written after Stop", workers)
		}
		if slices.Index(p.verdicts, sidetree.VerdictUnknown) < 0 {
			t.Errorf("workers %d: every verdict was computed: Stop did not stop them", workers)
		}
	}
}
