package verify

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// mixedBatch builds n operations in batch order: creates, valid updates, updates carrying another
// update's signature, and bodies that do not parse, interleaved.
func mixedBatch(t testing.TB, n int) []sidetree.AnchoredOperation {
	t.Helper()
	p := sidetree.Mainnet().Latest()
	key := func() sidetree.JWK {
		k, err := sidetree.GenerateES256K(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	recovery, update, next := key(), key(), key()
	create, err := sidetree.NewCreateRequest("ion", recovery, update, sidetree.Document{}, p)
	if err != nil {
		t.Fatal(err)
	}
	var updates []sidetree.Value
	for range 3 {
		u, err := sidetree.NewUpdateRequest(create.DIDSuffix, key(), next, sidetree.UpdateChanges{}, p)
		if err != nil {
			t.Fatal(err)
		}
		updates = append(updates, u)
	}
	forged := updates[0].DeepCopy()
	own, _ := updates[0].Field("signedData").Str()
	other, _ := updates[1].Field("signedData").Str()
	forged.Set("signedData", sidetree.String(own[:strings.LastIndexByte(own, '.')]+other[strings.LastIndexByte(other, '.'):]))
	bodies := [][]byte{create.Body.Stringify(), updates[2].Stringify(), forged.Stringify(), []byte(`{"type":"update"}`), updates[1].Stringify()}
	types := []sidetree.OperationType{sidetree.OpCreate, sidetree.OpUpdate, sidetree.OpUpdate, sidetree.OpUpdate, sidetree.OpUpdate}
	ops := make([]sidetree.AnchoredOperation, n)
	for i := range ops {
		// A stride that is not a multiple of the workers' chunk, so that neighbours differ in every chunk.
		j := (i * 3) % len(bodies)
		ops[i] = sidetree.AnchoredOperation{Type: types[j], DIDSuffix: create.DIDSuffix, Raw: bodies[j], TransactionNumber: 1, OperationIndex: uint32(i)}
	}
	return ops
}

func TestVerdictsMatchSequentialOrder(t *testing.T) {
	ops := mixedBatch(t, 101)
	want := make([]sidetree.Verdict, len(ops))
	seen := map[sidetree.Verdict]int{}
	for i, op := range ops {
		want[i] = sidetree.ComputeVerdict(op.Raw)
		seen[want[i]]++
	}
	if seen[sidetree.VerdictValid] == 0 || seen[sidetree.VerdictInvalid] == 0 {
		t.Fatalf("the batch should mix valid and invalid verdicts: %v", seen)
	}
	for _, workers := range []int{0, 1, 2, 3, 8, 200} {
		got := append([]sidetree.AnchoredOperation(nil), ops...)
		// A verdict already set is not trusted: it is computed again from the bytes.
		for i := range got {
			got[i].Verdict = sidetree.VerdictValid
		}
		if err := Verdicts(context.Background(), got, workers); err != nil {
			t.Fatalf("workers %d: %v", workers, err)
		}
		for i := range got {
			if got[i].Verdict != want[i] || got[i].OperationIndex != uint32(i) {
				t.Fatalf("workers %d: operation %d (index %d): verdict %s, want %s", workers, i, got[i].OperationIndex, got[i].Verdict, want[i])
			}
		}
	}
}

func TestVerdictsCanceled(t *testing.T) {
	ops := mixedBatch(t, 64)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, workers := range []int{1, 4} {
		if err := Verdicts(ctx, ops, workers); err == nil {
			t.Errorf("workers %d: no error for a canceled context", workers)
		}
	}
}

func BenchmarkVerdicts(b *testing.B) {
	ops := mixedBatch(b, 1000)
	b.ResetTimer()
	for range b.N {
		if err := Verdicts(context.Background(), ops, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ops)*b.N)/b.Elapsed().Seconds(), "ops/s")
}
