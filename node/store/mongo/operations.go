package mongo

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

// opDoc is an anchored operation in the operations collection.
type opDoc struct {
	DIDSuffix string `bson:"didSuffix"`
	TxnNumber int64  `bson:"txnNumber"`
	OpIndex   int64  `bson:"opIndex"`
	TxnTime   int64  `bson:"txnTime"`
	Type      string `bson:"type"`
	Raw       []byte `bson:"raw"`
	// Verdict is the signature verdict computed from Raw, in the same document so that it is replaced
	// with Raw; absent (sidetree.VerdictUnknown) in documents written before verdicts were stored.
	Verdict int32 `bson:"sig,omitempty"`
}

func (d opDoc) operation() sidetree.AnchoredOperation {
	return sidetree.AnchoredOperation{
		Type:              sidetree.OperationType(d.Type),
		DIDSuffix:         d.DIDSuffix,
		Raw:               d.Raw,
		TransactionNumber: uint64(d.TxnNumber),
		TransactionTime:   uint64(d.TxnTime),
		OperationIndex:    uint32(d.OpIndex),
		Verdict:           sidetree.Verdict(d.Verdict),
	}
}

// didDoc holds a DID's generation in the dids collection. Only $inc ever writes it.
type didDoc struct {
	Generation int64 `bson:"gen"`
}

// stateDoc is a cached state in the states collection, apart from the generation so that writing a
// cache entry can never overwrite a generation (servers that apply an update by rewriting the whole
// document, as FerretDB does, would otherwise lose a concurrent bump).
type stateDoc struct {
	Generation int64  `bson:"gen"`
	State      []byte `bson:"state"`
}

var opSort = bson.D{{Key: "txnNumber", Value: 1}, {Key: "opIndex", Value: 1}}

// PutOperations stores anchored operations, then gives their DIDs a new generation.
func (s *Store) PutOperations(ctx context.Context, ops []sidetree.AnchoredOperation) error {
	ctx, cancel, err := s.writeOps(ctx, len(ops))
	if err != nil {
		return err
	}
	defer cancel()
	return s.putOperations(ctx, ops)
}

// putOperations stores the operations, replacing one stored at the same (DID, transaction, index) as the
// reference's insertOrReplace does, then bumps the generations. In that order: a resolver reading
// between the two steps caches at the old generation, which the bump invalidates; a crash between them is
// repaired when the observer re-processes the transaction (its record is written after this).
func (s *Store) putOperations(ctx context.Context, ops []sidetree.AnchoredOperation) error {
	if len(ops) == 0 {
		return nil
	}
	docs := make([]any, 0, len(ops))
	touched := map[string]struct{}{}
	for _, op := range ops {
		if op.DIDSuffix == "" {
			return errors.New("operation without DID suffix")
		}
		txn, err := i64("transaction number", op.TransactionNumber)
		if err != nil {
			return err
		}
		t, err := i64("transaction time", op.TransactionTime)
		if err != nil {
			return err
		}
		docs = append(docs, opDoc{op.DIDSuffix, txn, int64(op.OperationIndex), t, string(op.Type), op.Raw, int32(op.Verdict)})
		touched[op.DIDSuffix] = struct{}{}
	}
	// Inserting is the common case and much cheaper than an upsert per document (ten times on FerretDB);
	// only the documents that already exist are then replaced.
	_, err := s.ops.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err != nil && !onlyDuplicates(err) {
		return fmt.Errorf("insert operations: %w", err)
	}
	if err != nil {
		if err := s.replaceOperations(ctx, docs, duplicateIndexes(err)); err != nil {
			return err
		}
	}
	return s.bumpGenerations(ctx, touched, false)
}

// replaceOperations replaces the stored operations docs[i] for each i in which. Such duplicates are
// nearly always the very records stored before (a transaction processed again after a crash), so the
// stored operations of each transaction are read at once (one query on the txnNumber index) and only
// those that differ are rewritten, addressed by _id. A filter on the operation's key instead, one per
// duplicate, made FerretDB's SQLite backend (which pushes down no other filter than _id) scan the whole
// collection for each: processing a 1,500-operation batch again took minutes, beyond every time limit,
// and a node that had crashed after storing a big batch could never get past it.
func (s *Store) replaceOperations(ctx context.Context, docs []any, which []int) error {
	byTxn := map[int64][]opDoc{}
	for _, i := range which {
		if i < 0 || i >= len(docs) {
			return fmt.Errorf("insert operations: duplicate reported for document %d of %d", i, len(docs))
		}
		d := docs[i].(opDoc)
		byTxn[d.TxnNumber] = append(byTxn[d.TxnNumber], d)
	}
	var models []mongo.WriteModel
	for txn, dups := range byTxn {
		stored, err := s.storedOperations(ctx, txn)
		if err != nil {
			return err
		}
		for _, d := range dups {
			old, found := stored[opKey{d.DIDSuffix, d.OpIndex}]
			switch {
			case !found: // removed since the insert refused it (a rollback in between): store it again
				filter := bson.D{{Key: "didSuffix", Value: d.DIDSuffix}, {Key: "txnNumber", Value: d.TxnNumber}, {Key: "opIndex", Value: d.OpIndex}}
				models = append(models, mongo.NewReplaceOneModel().SetFilter(filter).SetReplacement(d).SetUpsert(true))
			case old.sameAs(d):
			default: // the shard key beside _id targets the replacement at one shard
				filter := bson.D{{Key: "didSuffix", Value: d.DIDSuffix}, {Key: "_id", Value: old.ID}}
				models = append(models, mongo.NewReplaceOneModel().SetFilter(filter).SetReplacement(d))
			}
		}
	}
	if len(models) == 0 {
		return nil
	}
	if err := s.bulkUpdate(ctx, s.ops, models, false); err != nil {
		return fmt.Errorf("replace operations: %w", err)
	}
	return nil
}

// opKey names an operation within its transaction.
type opKey struct {
	suffix string
	index  int64
}

// storedOp is a stored operation with its document id.
type storedOp struct {
	ID  any   `bson:"_id"`
	Doc opDoc `bson:",inline"`
}

func (o storedOp) sameAs(d opDoc) bool {
	return o.Doc.Type == d.Type && o.Doc.TxnTime == d.TxnTime && o.Doc.Verdict == d.Verdict && bytes.Equal(o.Doc.Raw, d.Raw)
}

// storedOperations reads a transaction's stored operations by (DID suffix, index).
func (s *Store) storedOperations(ctx context.Context, txn int64) (map[opKey]storedOp, error) {
	cur, err := s.ops.Find(ctx, bson.D{{Key: "txnNumber", Value: txn}})
	if err != nil {
		return nil, fmt.Errorf("read stored operations of transaction %d: %w", txn, err)
	}
	defer cur.Close(ctx)
	out := map[opKey]storedOp{}
	for cur.Next(ctx) {
		var o storedOp
		if err := cur.Decode(&o); err != nil {
			return nil, fmt.Errorf("read stored operations of transaction %d: %w", txn, err)
		}
		out[opKey{o.Doc.DIDSuffix, o.Doc.OpIndex}] = o
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("read stored operations of transaction %d: %w", txn, err)
	}
	return out, nil
}

// bumpGenerations increments the generations of the DIDs (creating them at 1); drop also deletes their
// cached states.
func (s *Store) bumpGenerations(ctx context.Context, suffixes map[string]struct{}, drop bool) error {
	if len(suffixes) == 0 {
		return nil
	}
	ids := make([]string, 0, len(suffixes))
	for suffix := range suffixes {
		ids = append(ids, suffix)
	}
	if drop {
		if _, err := s.states.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}); err != nil {
			return fmt.Errorf("drop cached states: %w", err)
		}
	}
	// Unordered bulks of upserts by _id: each is an index lookup on MongoDB, and the only filter
	// FerretDB's SQLite backend pushes down to SQL.
	update := bson.D{{Key: "$inc", Value: bson.D{{Key: "gen", Value: int64(1)}}}}
	models := make([]mongo.WriteModel, 0, len(ids))
	for _, id := range ids {
		models = append(models, mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: id}}).SetUpdate(update).SetUpsert(true))
	}
	if err := s.bulkUpdate(ctx, s.dids, models, false); err != nil {
		return fmt.Errorf("update generations: %w", err)
	}
	return nil
}

// PutTransaction records a processed transaction.
func (s *Store) PutTransaction(ctx context.Context, tx node.Transaction) error {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	return s.putTransaction(ctx, tx)
}

// PutProcessed stores the operations, then the transaction, then the cursor: a crash at any point
// leaves a state from which re-processing the transaction repairs everything.
func (s *Store) PutProcessed(ctx context.Context, tx node.Transaction, ops []sidetree.AnchoredOperation, cursor []byte) error {
	ctx, cancel, err := s.writeOps(ctx, len(ops))
	if err != nil {
		return err
	}
	defer cancel()
	if err := s.putOperations(ctx, ops); err != nil {
		return err
	}
	if err := s.putTransaction(ctx, tx); err != nil {
		return err
	}
	if cursor != nil {
		return s.putCursor(ctx, cursor)
	}
	return nil
}

// Operations reads the DID's generation, then its operations (see PutOperations for why this order).
func (s *Store) Operations(ctx context.Context, suffix string) ([]sidetree.AnchoredOperation, uint64, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	if err := s.indexesReady(ctx, "reading a DID's operations"); err != nil {
		return nil, 0, err
	}
	var ops []sidetree.AnchoredOperation
	var gen uint64
	err := s.consistent(ctx, func(ctx context.Context) error {
		var err error
		if gen, err = s.generation(ctx, suffix); err != nil {
			return err
		}
		ops, err = s.operations(ctx, suffix)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return ops, gen, nil
}

// Generation reads a DID's generation alone.
func (s *Store) Generation(ctx context.Context, suffix string) (uint64, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	return s.generation(ctx, suffix)
}

// operations reads one DID's operations in order: a query targeted at one shard when the collection is
// sharded on didSuffix.
func (s *Store) operations(ctx context.Context, suffix string) ([]sidetree.AnchoredOperation, error) {
	cur, err := s.ops.Find(ctx, bson.D{{Key: "didSuffix", Value: suffix}}, options.Find().SetSort(opSort).SetProjection(bson.D{{Key: "_id", Value: 0}}))
	if err != nil {
		return nil, fmt.Errorf("read operations of %s: %w", suffix, err)
	}
	defer cur.Close(ctx)
	var ops []sidetree.AnchoredOperation
	for cur.Next(ctx) {
		var d opDoc
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("decode operation of %s: %w", suffix, err)
		}
		ops = append(ops, d.operation())
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("read operations of %s: %w", suffix, err)
	}
	return ops, nil
}

// generation returns a DID's generation, 0 when never written.
func (s *Store) generation(ctx context.Context, suffix string) (uint64, error) {
	var d didDoc
	err := s.dids.FindOne(ctx, bson.D{{Key: "_id", Value: suffix}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read generation of %s: %w", suffix, err)
	}
	return uint64(d.Generation), nil
}

// CachedState returns the cached state when it was cached at the DID's current generation.
func (s *Store) CachedState(ctx context.Context, suffix string) ([]byte, bool, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	var state []byte
	var fresh bool
	err := s.consistent(ctx, func(ctx context.Context) error {
		var d stateDoc
		err := s.states.FindOne(ctx, bson.D{{Key: "_id", Value: suffix}}).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read cached state of %s: %w", suffix, err)
		}
		gen, err := s.generation(ctx, suffix)
		if err != nil || gen != uint64(d.Generation) {
			return err
		}
		state, fresh = d.State, true
		if state == nil {
			state = []byte{}
		}
		return nil
	})
	if err != nil || !fresh {
		return nil, false, err
	}
	return state, true, nil
}

// CacheState caches a state computed at generation unless the DID has moved on. An entry written in a
// race with a generation bump carries the stale generation and is never served.
func (s *Store) CacheState(ctx context.Context, suffix string, generation uint64, data []byte) error {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	gen, err := i64("generation", generation)
	if err != nil {
		return err
	}
	current, err := s.generation(ctx, suffix)
	if err != nil || current != generation {
		return err
	}
	if data == nil {
		data = []byte{}
	}
	err = upsertRetry(func() error {
		_, err := s.states.ReplaceOne(ctx, bson.D{{Key: "_id", Value: suffix}}, stateDoc{gen, data}, options.Replace().SetUpsert(true))
		return err
	})
	if err != nil {
		return fmt.Errorf("cache state of %s: %w", suffix, err)
	}
	return nil
}

// RollbackAfter deletes everything numbered above number. The affected DIDs' generations are bumped
// (and caches dropped) both before and after their operations are deleted, so no state cached from the
// doomed operations survives, even with a crash in between; transactions are deleted last, so a crash
// leaves them for the watcher to roll back again.
func (s *Store) RollbackAfter(ctx context.Context, number uint64) error {
	// A reorg may undo several full batches: as long as writing one.
	ctx, cancel, err := s.writeOps(ctx, 10_000)
	if err != nil {
		return err
	}
	defer cancel()
	if number >= 1<<63-1 {
		return nil
	}
	after := bson.D{{Key: "$gt", Value: int64(number)}}
	// The affected DIDs, read through the txnNumber index (not the distinct command: FerretDB's reply
	// to it does not decode with the v2 driver).
	cur, err := s.ops.Find(ctx, bson.D{{Key: "txnNumber", Value: after}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 0}, {Key: "didSuffix", Value: 1}}).SetBatchSize(10_000))
	if err != nil {
		return fmt.Errorf("rollback: list affected DIDs: %w", err)
	}
	touched := map[string]struct{}{}
	for cur.Next(ctx) {
		var d struct {
			DIDSuffix string `bson:"didSuffix"`
		}
		if err := cur.Decode(&d); err != nil {
			cur.Close(ctx)
			return fmt.Errorf("rollback: list affected DIDs: %w", err)
		}
		touched[d.DIDSuffix] = struct{}{}
	}
	if err := cur.Err(); err != nil {
		cur.Close(ctx)
		return fmt.Errorf("rollback: list affected DIDs: %w", err)
	}
	cur.Close(ctx)
	if err := s.bumpGenerations(ctx, touched, true); err != nil {
		return err
	}
	if _, err := s.ops.DeleteMany(ctx, bson.D{{Key: "txnNumber", Value: after}}); err != nil {
		return fmt.Errorf("rollback operations: %w", err)
	}
	if err := s.bumpGenerations(ctx, touched, true); err != nil {
		return err
	}
	if _, err := s.unresolvable.DeleteMany(ctx, bson.D{{Key: "_id", Value: after}}); err != nil {
		return fmt.Errorf("rollback unresolvable transactions: %w", err)
	}
	if _, err := s.txs.DeleteMany(ctx, bson.D{{Key: "_id", Value: after}}); err != nil {
		return fmt.Errorf("rollback transactions: %w", err)
	}
	return nil
}

// StateHash hashes every operation in (suffix, transaction number, index) order, read through the
// unique index.
func (s *Store) StateHash(ctx context.Context) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.scan)
	defer cancel()
	cur, err := s.ops.Find(ctx, bson.D{},
		options.Find().SetSort(bson.D{{Key: "didSuffix", Value: 1}, {Key: "txnNumber", Value: 1}, {Key: "opIndex", Value: 1}}).
			SetHint("didSuffix_txnNumber_opIndex").SetProjection(bson.D{{Key: "_id", Value: 0}}).SetBatchSize(10_000))
	if err != nil {
		return nil, fmt.Errorf("state hash: %w", err)
	}
	defer cur.Close(ctx)
	h := store.NewStateHasher()
	for cur.Next(ctx) {
		var d opDoc
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("state hash: decode: %w", err)
		}
		h.Add(d.operation())
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("state hash: %w", err)
	}
	return h.Sum(), nil
}

// OperationCounts counts one transaction's operations by type through the txnNumber index, reading only
// the type field.
func (s *Store) OperationCounts(ctx context.Context, number uint64) (map[sidetree.OperationType]int, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	counts := map[sidetree.OperationType]int{}
	if number > 1<<63-1 {
		return counts, ctx.Err()
	}
	cur, err := s.ops.Find(ctx, bson.D{{Key: "txnNumber", Value: int64(number)}}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 0}, {Key: "type", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("count operations of transaction %d: %w", number, err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var d struct {
			Type string `bson:"type"`
		}
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("count operations of transaction %d: %w", number, err)
		}
		counts[sidetree.OperationType(d.Type)]++
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("count operations of transaction %d: %w", number, err)
	}
	return counts, nil
}
