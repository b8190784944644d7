package mongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

// noVerdict matches the operation documents written before verdicts were stored.
var noVerdict = bson.E{Key: "sig", Value: bson.D{{Key: "$exists", Value: false}}}

// BackfillVerdicts implements store.VerdictBackfill, walking the operations without a verdict in _id
// order (the _id index serves both the filter's range and the sort).
func (s *Store) BackfillVerdicts(ctx context.Context, limit int, compute func(context.Context, []sidetree.AnchoredOperation) error, progress func(done int)) (int, error) {
	if s.readOnly {
		return 0, store.ErrReadOnly
	}
	limit = max(limit, 1)
	done := 0
	var after any
	for {
		filter := bson.D{noVerdict}
		if after != nil {
			filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: after}}})
		}
		docs, err := s.operationsWithoutVerdict(ctx, filter, limit)
		if err != nil || len(docs) == 0 {
			return done, err
		}
		ops := make([]sidetree.AnchoredOperation, len(docs))
		for i, d := range docs {
			ops[i] = d.Doc.operation()
		}
		if err := compute(ctx, ops); err != nil {
			return done, fmt.Errorf("backfill verdicts: %w", err)
		}
		models := make([]mongo.WriteModel, len(docs))
		for i, d := range docs {
			// Only the same bytes, still without a verdict: a replacement meanwhile brought its own.
			f := bson.D{{Key: "didSuffix", Value: d.Doc.DIDSuffix}, {Key: "_id", Value: d.ID}, {Key: "raw", Value: d.Doc.Raw}, noVerdict}
			models[i] = mongo.NewUpdateOneModel().SetFilter(f).SetUpdate(bson.D{{Key: "$set", Value: bson.D{{Key: "sig", Value: int32(ops[i].Verdict)}}}})
		}
		wctx, cancel, err := s.writeOps(ctx, len(models))
		if err != nil {
			return done, err
		}
		err = s.bulkUpdate(wctx, s.ops, models, false)
		cancel()
		if err != nil {
			return done, fmt.Errorf("backfill verdicts: %w", err)
		}
		done += len(docs)
		progress(done)
		after = docs[len(docs)-1].ID
	}
}

func (s *Store) operationsWithoutVerdict(ctx context.Context, filter bson.D, limit int) ([]storedOp, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout*time.Duration(1+limit/1000))
	defer cancel()
	cur, err := s.ops.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("read operations without verdict: %w", err)
	}
	var docs []storedOp
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read operations without verdict: %w", err)
	}
	return docs, nil
}
