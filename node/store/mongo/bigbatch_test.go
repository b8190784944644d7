package mongo

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ionode/ionode/sidetree"
)

// TestBigBatchAgain stores a batch of more operations than FerretDB has connections in its pool, then
// the same batch again (a transaction processed again after a crash) with one operation changed, then a
// batch of operations on the same DIDs. FerretDB v1.24 holds a connection for each statement of an
// update command that matches a document until the command ends: before the store split its update
// commands, the second write waited forever and took the server with it.
func TestBigBatchAgain(t *testing.T) {
	const n = 250
	for name, uri := range servers() {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := openDB(t, uri, Options{Timeout: 20 * time.Second})
			batch := func(number uint64, typ sidetree.OperationType) []sidetree.AnchoredOperation {
				ops := make([]sidetree.AnchoredOperation, n)
				for i := range ops {
					ops[i] = sidetree.AnchoredOperation{Type: typ, DIDSuffix: fmt.Sprintf("EiBigBatch%06d", i), Raw: []byte(fmt.Sprintf(`{"n":%d}`, i)),
						TransactionNumber: number, TransactionTime: number / 1_000_000, OperationIndex: uint32(i)}
				}
				return ops
			}
			creates := batch(5_000_000, sidetree.OpCreate)
			if err := s.PutOperations(ctx, creates); err != nil {
				t.Fatal(err)
			}
			_, gen, err := s.Operations(ctx, creates[7].DIDSuffix)
			if err != nil {
				t.Fatal(err)
			}
			creates[7].Raw = []byte(`{"n":"complete"}`) // a retried transaction brings the complete operation
			start := time.Now()
			if err := s.PutOperations(ctx, creates); err != nil {
				t.Fatalf("the same batch again: %v", err)
			}
			t.Logf("%d operations stored again in %s", n, time.Since(start).Round(time.Millisecond))
			ops, gen2, err := s.Operations(ctx, creates[7].DIDSuffix)
			if err != nil || len(ops) != 1 || !bytes.Equal(ops[0].Raw, creates[7].Raw) || gen2 == gen {
				t.Fatalf("after storing the batch again: %+v, generation %d → %d, %v", ops, gen, gen2, err)
			}
			if err := s.PutOperations(ctx, batch(6_000_000, sidetree.OpUpdate)); err != nil {
				t.Fatalf("a batch on the same DIDs: %v", err)
			}
			for _, number := range []uint64{5_000_000, 6_000_000} {
				counts, err := s.OperationCounts(ctx, number)
				if err != nil || counts[sidetree.OpCreate]+counts[sidetree.OpUpdate] != n {
					t.Fatalf("transaction %d holds %v, want %d operations (%v)", number, counts, n, err)
				}
			}
		})
	}
}
