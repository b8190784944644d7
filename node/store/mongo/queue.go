package mongo

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

// queueDoc is a queued operation. _id is the DID suffix, which makes "one operation per DID" the
// collection's own uniqueness; batch is "" while queued and the batch id while in flight.
type queueDoc struct {
	DIDSuffix string `bson:"_id"`
	Seq       int64  `bson:"seq"`
	Type      string `bson:"type"`
	Request   []byte `bson:"request"`
	Enqueued  int64  `bson:"enqueued"`
	Batch     string `bson:"batch"`
}

func (d queueDoc) queued() store.QueuedOperation {
	return store.QueuedOperation{
		DIDSuffix: d.DIDSuffix,
		Type:      sidetree.OperationType(d.Type),
		Request:   d.Request,
		Seq:       uint64(d.Seq),
		Enqueued:  fromNanos(d.Enqueued),
		BatchID:   d.Batch,
	}
}

var bySeq = bson.D{{Key: "seq", Value: 1}}

// nextSeq allocates the next queue position from a counter document.
func (s *Store) nextSeq(ctx context.Context) (int64, error) {
	var d struct {
		N int64 `bson:"n"`
	}
	err := upsertRetry(func() error {
		return s.counters.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: "queue"}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}}},
			options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&d)
	})
	if err != nil {
		return 0, fmt.Errorf("allocate queue position: %w", err)
	}
	return d.N, nil
}

// Enqueue appends an operation unless its DID already has one queued or in flight.
func (s *Store) Enqueue(ctx context.Context, suffix string, t sidetree.OperationType, request []byte) error {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	if suffix == "" {
		return errors.New("enqueue: empty DID suffix")
	}
	s.queueMu.Lock()
	defer s.queueMu.Unlock()
	seq, err := s.nextSeq(ctx)
	if err != nil {
		return err
	}
	if request == nil {
		request = []byte{}
	}
	_, err = s.queue.InsertOne(ctx, queueDoc{suffix, seq, string(t), request, time.Now().UnixNano(), ""})
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("enqueue %s operation for %s: %w", t, suffix, node.ErrAlreadyQueued)
	}
	if err != nil {
		return fmt.Errorf("enqueue %s operation for %s: %w", t, suffix, err)
	}
	return nil
}

// TakeBatch claims up to max operations from the front of the queue for a new batch: it reads the
// front, then marks those still queued with the batch id in one update (each document changes
// atomically, so two takers never claim the same one), then reads back what it claimed.
func (s *Store) TakeBatch(ctx context.Context, max int) ([]store.QueuedOperation, error) {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()
	if max <= 0 {
		return nil, nil
	}
	s.queueMu.Lock()
	defer s.queueMu.Unlock()
	id := bson.NewObjectID().Hex()
	queued := bson.D{{Key: "batch", Value: ""}}
	// A concurrent taker may claim part of the front meanwhile; try again for the rest a few times.
	for attempt := 0; attempt < 3; attempt++ {
		claimed, err := s.queue.CountDocuments(ctx, bson.D{{Key: "batch", Value: id}})
		if err != nil {
			return nil, fmt.Errorf("take batch: %w", err)
		}
		want := int64(max) - claimed
		if want <= 0 {
			break
		}
		cur, err := s.queue.Find(ctx, queued, options.Find().SetSort(bySeq).SetLimit(want).SetProjection(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			return nil, fmt.Errorf("take batch: %w", err)
		}
		var front []struct {
			ID string `bson:"_id"`
		}
		if err := cur.All(ctx, &front); err != nil {
			return nil, fmt.Errorf("take batch: %w", err)
		}
		if len(front) == 0 {
			break
		}
		ids := make([]string, len(front))
		for i, f := range front {
			ids[i] = f.ID
		}
		res, err := s.queue.UpdateMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}, {Key: "batch", Value: ""}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "batch", Value: id}}}})
		if err != nil {
			return nil, fmt.Errorf("take batch: %w", err)
		}
		if res.ModifiedCount == int64(len(ids)) {
			break
		}
	}
	return s.batch(ctx, bson.D{{Key: "batch", Value: id}})
}

func (s *Store) batch(ctx context.Context, filter bson.D) ([]store.QueuedOperation, error) {
	cur, err := s.queue.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "batch", Value: 1}, {Key: "seq", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("read batch: %w", err)
	}
	var docs []queueDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read batch: %w", err)
	}
	ops := make([]store.QueuedOperation, 0, len(docs))
	for _, d := range docs {
		ops = append(ops, d.queued())
	}
	return ops, nil
}

// InFlight returns the operations of every batch neither returned nor completed, in queue order.
func (s *Store) InFlight(ctx context.Context) ([]store.QueuedOperation, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	ops, err := s.batch(ctx, bson.D{{Key: "batch", Value: bson.D{{Key: "$gt", Value: ""}}}})
	if err != nil {
		return nil, err
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].Seq < ops[j].Seq })
	return ops, nil
}

// ReturnBatch puts a batch's operations back in the queue; they keep their positions, which are before
// every operation enqueued since.
func (s *Store) ReturnBatch(ctx context.Context, id string) error {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	if id == "" {
		return fmt.Errorf("batch %q: %w", id, store.ErrBatchNotFound)
	}
	res, err := s.queue.UpdateMany(ctx, bson.D{{Key: "batch", Value: id}}, bson.D{{Key: "$set", Value: bson.D{{Key: "batch", Value: ""}}}})
	if err != nil {
		return fmt.Errorf("return batch %s: %w", id, err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("batch %s: %w", id, store.ErrBatchNotFound)
	}
	return nil
}

// CompleteBatch deletes a batch's operations.
func (s *Store) CompleteBatch(ctx context.Context, id string) error {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	if id == "" {
		return fmt.Errorf("batch %q: %w", id, store.ErrBatchNotFound)
	}
	res, err := s.queue.DeleteMany(ctx, bson.D{{Key: "batch", Value: id}})
	if err != nil {
		return fmt.Errorf("complete batch %s: %w", id, err)
	}
	if res.DeletedCount == 0 {
		return fmt.Errorf("batch %s: %w", id, store.ErrBatchNotFound)
	}
	return nil
}

// QueueDepth counts the queued operations not taken by a batch.
func (s *Store) QueueDepth(ctx context.Context) (int, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	n, err := s.queue.CountDocuments(ctx, bson.D{{Key: "batch", Value: ""}})
	if err != nil {
		return 0, fmt.Errorf("queue depth: %w", err)
	}
	return int(n), nil
}
