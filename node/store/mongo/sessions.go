package mongo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/ionode/ionode/node/store"
)

// sweepEvery is how many session writes of this process pass between deletions of expired records.
const sweepEvery = 1024

// sessionDoc is a request record; _id is its id, expires is Unix milliseconds.
type sessionDoc struct {
	ID      string `bson:"_id"`
	Data    []byte `bson:"data"`
	Version int64  `bson:"version"`
	Expires int64  `bson:"expires"`
}

// Session writes work on a read-only store too: a resolver replica serves wallet requests, and their
// state is not chain data. The session lock plays queueMu's part: FerretDB v1 rewrites documents without
// isolation, so it keeps this process's compare-and-swaps apart; MongoDB itself applies each filtered
// write atomically, which keeps replicas apart.
func (s *Store) sessionCall(ctx context.Context, id string, data []byte) (context.Context, context.CancelFunc, error) {
	if err := store.CheckSession(id, data); err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	ctx, cancel := s.call(ctx)
	return ctx, cancel, nil
}

// sessionWrite starts a session write: limits checked, deadline set, this process's writers serialized.
// The caller calls done when finished.
func (s *Store) sessionWrite(ctx context.Context, id string, data []byte) (context.Context, []byte, func(), error) {
	ctx, cancel, err := s.sessionCall(ctx, id, data)
	if err != nil {
		return nil, nil, nil, err
	}
	if data == nil {
		data = []byte{} // BSON binary, never null
	}
	s.sessionMu.Lock()
	return ctx, data, func() { s.sessionMu.Unlock(); cancel() }, nil
}

func millis(t time.Time) int64 { return t.UnixMilli() }

// PutSession stores a new record unless a live one has the id.
func (s *Store) PutSession(ctx context.Context, id string, data []byte, expires time.Time) (bool, error) {
	ctx, data, done, err := s.sessionWrite(ctx, id, data)
	if err != nil {
		return false, err
	}
	defer done()
	// Replace only an expired record; a live one makes the upsert insert a duplicate _id.
	filter := bson.D{{Key: "_id", Value: id}, {Key: "expires", Value: bson.D{{Key: "$lte", Value: millis(time.Now())}}}}
	doc := sessionDoc{ID: id, Data: data, Version: 1, Expires: millis(expires)}
	_, err = s.sessions.ReplaceOne(ctx, filter, doc, options.Replace().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("mongo put session: %w", err)
	}
	return true, s.sessionWritten(ctx)
}

// GetSession returns a live record.
func (s *Store) GetSession(ctx context.Context, id string) ([]byte, uint64, bool, error) {
	ctx, cancel, err := s.sessionCall(ctx, id, nil)
	if err != nil {
		return nil, 0, false, err
	}
	defer cancel()
	var d sessionDoc
	err = s.sessions.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, 0, false, nil
	}
	if err != nil {
		return nil, 0, false, fmt.Errorf("mongo get session: %w", err)
	}
	if d.Expires <= millis(time.Now()) || d.Version < 1 {
		return nil, 0, false, nil
	}
	return d.Data, uint64(d.Version), true, nil
}

// SwapSession replaces a live record at the given version.
func (s *Store) SwapSession(ctx context.Context, id string, version uint64, data []byte, expires time.Time) (bool, error) {
	if version < 1 || version >= 1<<62 {
		return false, store.CheckSession(id, data)
	}
	ctx, data, done, err := s.sessionWrite(ctx, id, data)
	if err != nil {
		return false, err
	}
	defer done()
	filter := bson.D{
		{Key: "_id", Value: id},
		{Key: "version", Value: int64(version)},
		{Key: "expires", Value: bson.D{{Key: "$gt", Value: millis(time.Now())}}},
	}
	doc := sessionDoc{ID: id, Data: data, Version: int64(version) + 1, Expires: millis(expires)}
	res, err := s.sessions.ReplaceOne(ctx, filter, doc)
	if err != nil {
		return false, fmt.Errorf("mongo swap session: %w", err)
	}
	if res.MatchedCount == 0 {
		return false, nil
	}
	return true, s.sessionWritten(ctx)
}

// DeleteSession removes a record.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	ctx, cancel, err := s.sessionCall(ctx, id, nil)
	if err != nil {
		return err
	}
	defer cancel()
	if _, err := s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("mongo delete session: %w", err)
	}
	return nil
}

// sessionWritten counts a write and every sweepEvery writes deletes the expired records; the caller
// holds sessionMu.
func (s *Store) sessionWritten(ctx context.Context) error {
	s.sessionWrites++
	if s.sessionWrites%sweepEvery != 0 {
		return nil
	}
	filter := bson.D{{Key: "expires", Value: bson.D{{Key: "$lte", Value: millis(time.Now())}}}}
	if _, err := s.sessions.DeleteMany(ctx, filter); err != nil {
		return fmt.Errorf("mongo sweep sessions: %w", err)
	}
	return nil
}
