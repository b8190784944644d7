package chainbuild

import (
	"fmt"

	"github.com/ionode/ionode/bench/internal/gen"
	"github.com/ionode/ionode/sidetree"
)

// Batch is one batch's operation requests and the DIDs they touch.
type Batch struct {
	Index    int
	Requests [][]byte
	// Created are the DIDs the batch creates; Updated, Recovered and Deactivated the DIDs its other
	// operations target, each list in request order.
	Created, Updated, Recovered, Deactivated []string
	// Settled are DIDs created (by this batch or an earlier one) that no batch touches after their
	// create: their final state is the create's. A plan names every DID once: in Settled, or in the one
	// list of the batch whose operation is its last (no later batch touches a DID in Updated, Recovered
	// or Deactivated), so the lists of all batches together are the final state of every DID.
	Settled []string
}

// Counts is the batch's operations by type.
func (b Batch) Counts() map[sidetree.OperationType]int {
	return map[sidetree.OperationType]int{sidetree.OpCreate: len(b.Created), sidetree.OpUpdate: len(b.Updated),
		sidetree.OpRecover: len(b.Recovered), sidetree.OpDeactivate: len(b.Deactivated)}
}

// Plan says what each batch of the chain holds. Batch is called from several goroutines at once, for
// different batches in any order, so a plan derives each batch from its index alone (the generated
// requests are deterministic given the keys), holding nothing for the whole chain.
type Plan interface {
	Len() int
	Batch(k gen.Keys, index int, p sidetree.Parameters) (Batch, error)
}

// CreatesThenUpdates is creates in CreateBatches batches of Size, then UpdateBatches batches that
// update the DIDs of the first create batches, one update each.
type CreatesThenUpdates struct{ CreateBatches, UpdateBatches, Size int }

func (c CreatesThenUpdates) Len() int { return c.CreateBatches + c.UpdateBatches }

func (c CreatesThenUpdates) Batch(k gen.Keys, index int, p sidetree.Parameters) (Batch, error) {
	if c.Size < 1 || c.CreateBatches < 1 || c.UpdateBatches > c.CreateBatches {
		return Batch{}, fmt.Errorf("chainbuild: need batch size ≥ 1, ≥ 1 create batch, update batches ≤ create batches")
	}
	b := Batch{Index: index}
	created, err := gen.Creates(k, index%c.CreateBatches*c.Size, c.Size, p)
	if err != nil {
		return b, err
	}
	if index < c.CreateBatches {
		b.Created = suffixesOf(created)
		b.Requests = requestsOf(created)
		if index >= c.UpdateBatches {
			b.Settled = b.Created
		}
		return b, nil
	}
	b.Updated = suffixesOf(created)
	b.Requests, err = gen.Updates(k, b.Updated, p)
	return b, err
}

func suffixesOf(cs []gen.Create) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Suffix
	}
	return out
}

func requestsOf(cs []gen.Create) [][]byte {
	out := make([][]byte, len(cs))
	for i, c := range cs {
		out[i] = c.Request
	}
	return out
}
