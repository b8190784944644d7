package mongo

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/ionode/ionode/internal/storetest"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

// isFerretDB reports whether the server is FerretDB (its buildInfo names its own version).
func isFerretDB(t *testing.T, s *Store) bool {
	t.Helper()
	var info bson.M
	if err := s.db.RunCommand(context.Background(), bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		t.Fatal(err)
	}
	_, ok := info["ferretdbVersion"]
	return ok
}

// planStages collects the stage names of an explain plan tree.
func planStages(v any, into map[string]bool) {
	switch d := v.(type) {
	case bson.M:
		if st, ok := d["stage"].(string); ok {
			into[st] = true
		}
		for _, child := range d {
			planStages(child, into)
		}
	case bson.D:
		m := bson.M{}
		for _, e := range d {
			m[e.Key] = e.Value
		}
		planStages(m, into)
	case bson.A:
		for _, child := range d {
			planStages(child, into)
		}
	}
}

// TestQueriesUseIndexes explains the store's main queries and requires index scans (IXSCAN, or an
// _id lookup), no collection scan and no in-memory sort. FerretDB's explain reports its SQL backend's
// plan, not MongoDB stages, so there the assertion is skipped; it runs against real MongoDB
// (MONGODB_URI).
func TestQueriesUseIndexes(t *testing.T) {
	for name, uri := range servers() {
		t.Run(name, func(t *testing.T) {
			s := openDB(t, uri, Options{})
			ctx := context.Background()
			var ops []sidetree.AnchoredOperation
			for i := 0; i < 200; i++ {
				ops = append(ops, storetest.Op(fmt.Sprintf("did-%03d", i%50), uint64(1_000_000+i), uint32(i%3)))
			}
			if err := s.PutOperations(ctx, ops); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 20; i++ {
				if err := s.Enqueue(ctx, fmt.Sprintf("q%d", i), sidetree.OpUpdate, []byte("{}")); err != nil {
					t.Fatal(err)
				}
				u := node.Unresolvable{Transaction: node.Transaction{Number: uint64(i)}, Attempts: 1, NextRetry: time.Unix(int64(i), 0)}
				if err := s.PutUnresolvable(ctx, u); err != nil {
					t.Fatal(err)
				}
			}
			queries := []struct {
				name string
				cmd  bson.D
			}{
				{"operations of a DID", bson.D{{Key: "find", Value: collOperations}, {Key: "filter", Value: bson.D{{Key: "didSuffix", Value: "did-007"}}}, {Key: "sort", Value: opSort}}},
				{"rollback scan", bson.D{{Key: "find", Value: collOperations}, {Key: "filter", Value: bson.D{{Key: "txnNumber", Value: bson.D{{Key: "$gt", Value: int64(1_000_150)}}}}}}},
				{"state hash scan", bson.D{{Key: "find", Value: collOperations}, {Key: "filter", Value: bson.D{}}, {Key: "sort", Value: bson.D{{Key: "didSuffix", Value: 1}, {Key: "txnNumber", Value: 1}, {Key: "opIndex", Value: 1}}}, {Key: "hint", Value: "didSuffix_txnNumber_opIndex"}}},
				{"due unresolvable", bson.D{{Key: "find", Value: collUnresolvable}, {Key: "filter", Value: bson.D{{Key: "nextRetry", Value: bson.D{{Key: "$lte", Value: int64(5e9)}}}}}, {Key: "sort", Value: bson.D{{Key: "nextRetry", Value: 1}, {Key: "_id", Value: 1}}}}},
				{"queue front", bson.D{{Key: "find", Value: collQueue}, {Key: "filter", Value: bson.D{{Key: "batch", Value: ""}}}, {Key: "sort", Value: bySeq}}},
				{"in-flight batches", bson.D{{Key: "find", Value: collQueue}, {Key: "filter", Value: bson.D{{Key: "batch", Value: bson.D{{Key: "$gt", Value: ""}}}}}, {Key: "sort", Value: bson.D{{Key: "batch", Value: 1}, {Key: "seq", Value: 1}}}}},
				{"last transaction", bson.D{{Key: "find", Value: collTransactions}, {Key: "filter", Value: bson.D{}}, {Key: "sort", Value: bson.D{{Key: "_id", Value: -1}}}, {Key: "limit", Value: 1}}},
				{"transactions before", bson.D{{Key: "find", Value: collTransactions}, {Key: "filter", Value: bson.D{{Key: "_id", Value: bson.D{{Key: "$lt", Value: int64(1_000_100)}}}}}, {Key: "sort", Value: bson.D{{Key: "_id", Value: -1}}}, {Key: "limit", Value: 20}}},
				{"operation counts of a transaction", bson.D{{Key: "find", Value: collOperations}, {Key: "filter", Value: bson.D{{Key: "txnNumber", Value: int64(1_000_100)}}}, {Key: "projection", Value: bson.D{{Key: "_id", Value: 0}, {Key: "type", Value: 1}}}}},
				{"generation", bson.D{{Key: "find", Value: collDIDs}, {Key: "filter", Value: bson.D{{Key: "_id", Value: "did-007"}}}}},
			}
			ferret := isFerretDB(t, s)
			for _, q := range queries {
				var res bson.M
				err := s.db.RunCommand(ctx, bson.D{{Key: "explain", Value: q.cmd}, {Key: "verbosity", Value: "queryPlanner"}}).Decode(&res)
				if err != nil {
					t.Fatalf("explain %s: %v", q.name, err)
				}
				if ferret {
					t.Logf("%s: FerretDB plan %v", q.name, res["queryPlanner"])
					continue // checked below, once
				}
				stages := map[string]bool{}
				planStages(res["queryPlanner"], stages)
				if stages["COLLSCAN"] || !(stages["IXSCAN"] || stages["IDHACK"] || stages["EXPRESS_IXSCAN"] || stages["EXPRESS_CLUSTERED_IXSCAN"] || stages["CLUSTERED_IXSCAN"]) {
					t.Errorf("%s: plan stages %v, want an index scan and no COLLSCAN", q.name, stages)
				}
				if stages["SORT"] {
					t.Errorf("%s: plan sorts in memory (%v): the index does not give the order", q.name, stages)
				}
			}
			if ferret {
				t.Skip("FerretDB v1 explains its backend's SQL plan (on SQLite it scans the collection's table for every one of these queries: it does not push these filters to indexes), not MongoDB plan stages: the IXSCAN assertion runs against real MongoDB (set MONGODB_URI)")
			}
		})
	}
}

// TestReadOnly opens a second, read-only store on a database the writer filled: reads work, writes
// fail with store.ErrReadOnly and create nothing.
func TestReadOnly(t *testing.T) {
	w := openDB(t, ferretURI, Options{})
	ctx := context.Background()
	op := storetest.Op("did-ro", 1_000_000, 0)
	if err := w.PutProcessed(ctx, node.Transaction{Number: 1_000_000}, []sidetree.AnchoredOperation{op}, []byte("c")); err != nil {
		t.Fatal(err)
	}
	r := openDB(t, ferretURI, Options{Database: w.db.Name(), ReadOnly: true})
	if ops, gen, err := r.Operations(ctx, "did-ro"); err != nil || len(ops) != 1 || gen == 0 {
		t.Fatalf("read-only Operations = %d ops, generation %d, %v", len(ops), gen, err)
	}
	writes := map[string]error{
		"PutOperations":   r.PutOperations(ctx, []sidetree.AnchoredOperation{op}),
		"PutTransaction":  r.PutTransaction(ctx, node.Transaction{Number: 5}),
		"PutProcessed":    r.PutProcessed(ctx, node.Transaction{Number: 5}, nil, nil),
		"PutCursor":       r.PutCursor(ctx, []byte("x")),
		"RollbackAfter":   r.RollbackAfter(ctx, 0),
		"PutUnresolvable": r.PutUnresolvable(ctx, node.Unresolvable{}),
		"Enqueue":         r.Enqueue(ctx, "did-ro", sidetree.OpUpdate, nil),
		"CacheState":      r.CacheState(ctx, "did-ro", 1, nil),
		"PutUTXOs":        r.PutUTXOs(ctx, store.UTXO{Outpoint: store.Outpoint{TxID: "a"}}),
		"PutPendingTx":    r.PutPendingTx(ctx, store.PendingTx{TxID: "a"}),
	}
	for name, err := range writes {
		if !errors.Is(err, store.ErrReadOnly) {
			t.Errorf("read-only %s: err = %v, want ErrReadOnly", name, err)
		}
	}
	if _, err := r.TakeBatch(ctx, 1); !errors.Is(err, store.ErrReadOnly) {
		t.Errorf("read-only TakeBatch: err = %v", err)
	}
	if ops, _, _ := w.Operations(ctx, "did-ro"); len(ops) != 1 {
		t.Fatalf("writer sees %d operations after read-only writes, want 1", len(ops))
	}
	// Replicas serve wallets: request records are shared through the same database, writes included.
	if created, err := r.PutSession(ctx, "vp:replica", []byte("r"), time.Now().Add(time.Minute)); err != nil || !created {
		t.Fatalf("read-only PutSession: created=%v err=%v", created, err)
	}
	if swapped, err := w.SwapSession(ctx, "vp:replica", 1, []byte("w"), time.Now().Add(time.Minute)); err != nil || !swapped {
		t.Fatalf("writer swaps a replica's session: swapped=%v err=%v", swapped, err)
	}
	if data, v, ok, err := r.GetSession(ctx, "vp:replica"); err != nil || !ok || v != 2 || string(data) != "w" {
		t.Fatalf("replica reads %q v%d ok=%v err=%v, want \"w\" v2", data, v, ok, err)
	}
}
