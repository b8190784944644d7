package mongo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/ionode/ionode/node"
)

// txDoc is a processed transaction (the transactions collection; _id is the transaction number).
type txDoc struct {
	Number        int64  `bson:"_id"`
	Time          int64  `bson:"time"`
	TimeHash      string `bson:"timeHash"`
	AnchorString  string `bson:"anchorString"`
	FeePaid       int64  `bson:"feePaid"`
	NormalizedFee int64  `bson:"normalizedFee"`
	Writer        string `bson:"writer"`
}

func newTxDoc(tx node.Transaction) (txDoc, error) {
	var d txDoc
	var err error
	for _, f := range []struct {
		what string
		v    uint64
		to   *int64
	}{
		{"transaction number", tx.Number, &d.Number},
		{"transaction time", tx.Time, &d.Time},
		{"fee", tx.FeePaid, &d.FeePaid},
		{"normalized fee", tx.NormalizedFee, &d.NormalizedFee},
	} {
		if *f.to, err = i64(f.what, f.v); err != nil {
			return txDoc{}, err
		}
	}
	d.TimeHash, d.AnchorString, d.Writer = tx.TimeHash, tx.AnchorString, tx.Writer
	return d, nil
}

func (d txDoc) transaction() node.Transaction {
	return node.Transaction{
		Number:        uint64(d.Number),
		Time:          uint64(d.Time),
		TimeHash:      d.TimeHash,
		AnchorString:  d.AnchorString,
		FeePaid:       uint64(d.FeePaid),
		NormalizedFee: uint64(d.NormalizedFee),
		Writer:        d.Writer,
	}
}

func (s *Store) putTransaction(ctx context.Context, tx node.Transaction) error {
	d, err := newTxDoc(tx)
	if err != nil {
		return err
	}
	err = upsertRetry(func() error {
		_, err := s.txs.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.Number}}, d, options.Replace().SetUpsert(true))
		return err
	})
	if err != nil {
		return fmt.Errorf("record transaction %d: %w", tx.Number, err)
	}
	return nil
}

// LastTransaction returns the processed transaction with the highest number.
func (s *Store) LastTransaction(ctx context.Context) (node.Transaction, bool, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	var d txDoc
	err := s.txs.FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return node.Transaction{}, false, nil
	}
	if err != nil {
		return node.Transaction{}, false, fmt.Errorf("last transaction: %w", err)
	}
	return d.transaction(), true, nil
}

// TransactionsAfter returns up to limit processed transactions numbered above number, in order.
func (s *Store) TransactionsAfter(ctx context.Context, number uint64, limit int) ([]node.Transaction, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	if limit <= 0 || number >= 1<<63-1 {
		return nil, ctx.Err()
	}
	cur, err := s.txs.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: int64(number)}}}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("list transactions: %w", err)
	}
	var docs []txDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list transactions: %w", err)
	}
	var txs []node.Transaction
	for _, d := range docs {
		txs = append(txs, d.transaction())
	}
	return txs, nil
}

const cursorID = "watcher-cursor"

// PutCursor stores the watcher's resume position.
func (s *Store) PutCursor(ctx context.Context, cursor []byte) error {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	return s.putCursor(ctx, cursor)
}

func (s *Store) putCursor(ctx context.Context, cursor []byte) error {
	if cursor == nil {
		cursor = []byte{}
	}
	err := upsertRetry(func() error {
		_, err := s.meta.UpdateOne(ctx, bson.D{{Key: "_id", Value: cursorID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "value", Value: cursor}}}}, options.UpdateOne().SetUpsert(true))
		return err
	})
	if err != nil {
		return fmt.Errorf("store cursor: %w", err)
	}
	return nil
}

// Cursor returns the watcher's resume position, nil when none was stored.
func (s *Store) Cursor(ctx context.Context) ([]byte, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	var d struct {
		Value []byte `bson:"value"`
	}
	err := s.meta.FindOne(ctx, bson.D{{Key: "_id", Value: cursorID}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read cursor: %w", err)
	}
	if d.Value == nil {
		d.Value = []byte{}
	}
	return d.Value, nil
}

// unresolvableDoc is an unresolvable transaction (_id is its number; times in Unix nanoseconds).
type unresolvableDoc struct {
	Number      int64 `bson:"_id"`
	Transaction txDoc `bson:"transaction"`
	Attempts    int64 `bson:"attempts"`
	FirstFetch  int64 `bson:"firstFetch"`
	NextRetry   int64 `bson:"nextRetry"`
}

func (d unresolvableDoc) unresolvable() node.Unresolvable {
	return node.Unresolvable{
		Transaction: d.Transaction.transaction(),
		Attempts:    int(d.Attempts),
		FirstFetch:  fromNanos(d.FirstFetch),
		NextRetry:   fromNanos(d.NextRetry),
	}
}

// GetUnresolvable returns the record of an unresolvable transaction.
func (s *Store) GetUnresolvable(ctx context.Context, number uint64) (node.Unresolvable, bool, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	n, err := i64("transaction number", number)
	if err != nil {
		return node.Unresolvable{}, false, nil
	}
	var d unresolvableDoc
	err = s.unresolvable.FindOne(ctx, bson.D{{Key: "_id", Value: n}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return node.Unresolvable{}, false, nil
	}
	if err != nil {
		return node.Unresolvable{}, false, fmt.Errorf("read unresolvable transaction %d: %w", number, err)
	}
	return d.unresolvable(), true, nil
}

// PutUnresolvable stores (replaces) the record of an unresolvable transaction.
func (s *Store) PutUnresolvable(ctx context.Context, u node.Unresolvable) error {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	tx, err := newTxDoc(u.Transaction)
	if err != nil {
		return err
	}
	d := unresolvableDoc{tx.Number, tx, int64(u.Attempts), nanos(u.FirstFetch), nanos(u.NextRetry)}
	err = upsertRetry(func() error {
		_, err := s.unresolvable.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.Number}}, d, options.Replace().SetUpsert(true))
		return err
	})
	if err != nil {
		return fmt.Errorf("record unresolvable transaction %d: %w", u.Transaction.Number, err)
	}
	return nil
}

// DueUnresolvable returns up to limit records whose next retry is at or before now, earliest first.
func (s *Store) DueUnresolvable(ctx context.Context, now time.Time, limit int) ([]node.Unresolvable, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	if limit <= 0 {
		return nil, ctx.Err()
	}
	cur, err := s.unresolvable.Find(ctx, bson.D{{Key: "nextRetry", Value: bson.D{{Key: "$lte", Value: nanos(now)}}}},
		options.Find().SetSort(bson.D{{Key: "nextRetry", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("list due unresolvable transactions: %w", err)
	}
	var docs []unresolvableDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list due unresolvable transactions: %w", err)
	}
	out := make([]node.Unresolvable, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.unresolvable())
	}
	return out, nil
}

// RemoveUnresolvable deletes the record of a transaction.
func (s *Store) RemoveUnresolvable(ctx context.Context, number uint64) error {
	ctx, cancel, err := s.write(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	n, err := i64("transaction number", number)
	if err != nil {
		return nil
	}
	if _, err := s.unresolvable.DeleteOne(ctx, bson.D{{Key: "_id", Value: n}}); err != nil {
		return fmt.Errorf("remove unresolvable transaction %d: %w", number, err)
	}
	return nil
}

// TransactionsBefore returns up to limit processed transactions numbered below number, highest first.
func (s *Store) TransactionsBefore(ctx context.Context, number uint64, limit int) ([]node.Transaction, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	if limit <= 0 || number == 0 {
		return nil, ctx.Err()
	}
	filter := bson.D{}
	if number <= 1<<63-1 { // every stored number is below 2^63
		filter = bson.D{{Key: "_id", Value: bson.D{{Key: "$lt", Value: int64(number)}}}}
	}
	cur, err := s.txs.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("list transactions: %w", err)
	}
	var docs []txDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list transactions: %w", err)
	}
	txs := make([]node.Transaction, 0, len(docs))
	for _, d := range docs {
		txs = append(txs, d.transaction())
	}
	return txs, nil
}
