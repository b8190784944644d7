package pebble

import (
	"context"
	"fmt"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/ionode/ionode/node/store"
)

// sweepEvery is how many session writes pass between sweeps of expired records. A sweep walks the
// expiry index only up to now, so its cost is the records expired since the last one, whatever the
// number of live records (walking every record instead cost each write live/1024 record reads, under
// the write lock).
const sweepEvery = 1024

type sessionRecord struct {
	expires time.Time
	version uint64
	data    []byte
}

func encodeSession(r sessionRecord) []byte {
	var e encoder
	e.time(r.expires)
	e.uint(r.version)
	e.bytes(r.data)
	return e.b
}

func decodeSession(v []byte) (sessionRecord, error) {
	d := decoder{b: v}
	r := sessionRecord{expires: d.time(), version: d.uint(), data: d.bytes()}
	return r, d.finish()
}

// liveSession reads a record; ok is false when it is missing or expired at now.
func (s *Store) liveSession(id string, now time.Time) (sessionRecord, bool, error) {
	v, err := s.get(nameKey(prefixSession, id))
	if err != nil || v == nil {
		return sessionRecord{}, false, err
	}
	r, err := decodeSession(v)
	if err != nil {
		return sessionRecord{}, false, fmt.Errorf("session %q: %w", id, err)
	}
	if !now.Before(r.expires) {
		return sessionRecord{}, false, nil
	}
	return r, true, nil
}

// Session writes are not synced: a record lives minutes. Pebble keeps an unsynced write in memory until
// a 32 KiB block of its log fills or a synced write follows (a queued operation, the chain cursor), so a
// crash of the process can forget the requests of its last moments, which then simply fail.
func (s *Store) setSession(id string, r sessionRecord) error {
	b := s.db.NewBatch()
	defer b.Close()
	_ = b.Set(nameKey(prefixSession, id), encodeSession(r), nil)
	// An index entry left by an earlier expiry of the record is dropped by the sweep that reaches it.
	_ = b.Set(sessionExpKey(r.expires, id), nil, nil)
	if err := b.Commit(pebble.NoSync); err != nil {
		return fmt.Errorf("pebble put session: %w", err)
	}
	s.sessionWrites++
	if s.sessionWrites%sweepEvery == 0 {
		return s.sweepSessions(time.Now())
	}
	return nil
}

// sessionWrite checks a write and takes wmu (compare-and-swap reads before it writes); the caller
// unlocks it when err is nil.
func (s *Store) sessionWrite(ctx context.Context, id string, data []byte) error {
	if err := store.CheckSession(id, data); err != nil {
		return err
	}
	if err := s.writable(ctx); err != nil {
		return err
	}
	s.wmu.Lock()
	return nil
}

// PutSession stores a new record unless a live one has the id.
func (s *Store) PutSession(ctx context.Context, id string, data []byte, expires time.Time) (bool, error) {
	if err := s.sessionWrite(ctx, id, data); err != nil {
		return false, err
	}
	defer s.wmu.Unlock()
	if _, ok, err := s.liveSession(id, time.Now()); err != nil || ok {
		return false, err
	}
	return true, s.setSession(id, sessionRecord{expires: expires, version: 1, data: data})
}

// GetSession returns a live record.
func (s *Store) GetSession(ctx context.Context, id string) ([]byte, uint64, bool, error) {
	if err := store.CheckSession(id, nil); err != nil {
		return nil, 0, false, err
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, false, err
	}
	r, ok, err := s.liveSession(id, time.Now())
	return r.data, r.version, ok, err
}

// SwapSession replaces a live record at the given version.
func (s *Store) SwapSession(ctx context.Context, id string, version uint64, data []byte, expires time.Time) (bool, error) {
	if err := s.sessionWrite(ctx, id, data); err != nil {
		return false, err
	}
	defer s.wmu.Unlock()
	r, ok, err := s.liveSession(id, time.Now())
	if err != nil || !ok || r.version != version {
		return false, err
	}
	return true, s.setSession(id, sessionRecord{expires: expires, version: version + 1, data: data})
}

// DeleteSession removes a record.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if err := store.CheckSession(id, nil); err != nil {
		return err
	}
	if err := s.writable(ctx); err != nil {
		return err
	}
	if err := s.db.Delete(nameKey(prefixSession, id), pebble.NoSync); err != nil {
		return fmt.Errorf("pebble delete session: %w", err)
	}
	return nil
}

// sessionExpKey is the expiry index key of a record expiring at t.
func sessionExpKey(t time.Time, id string) []byte {
	k := make([]byte, 0, 9+len(id))
	k = append(k, prefixSessionExp)
	k = be64(k, uint64(max(t.UnixNano(), 0)))
	return append(k, id...)
}

// sweepSessions deletes the records expired at now; the caller holds wmu. It walks the expiry index up
// to now: each entry is dropped, with its record when the record has expired (a record swapped to a
// later expiry has a later entry too, and stays). The first sweep of a
// process also walks every record once, for records written before the index existed.
func (s *Store) sweepSessions(now time.Time) error {
	b := s.db.NewBatch()
	defer b.Close()
	lower := []byte{prefixSessionExp}
	upper := be64([]byte{prefixSessionExp}, uint64(max(now.UnixNano(), 0))+1)
	err := s.scan(context.Background(), lower, upper, func(k, _ []byte) (bool, error) {
		if len(k) < 9 { // not an index key: no id to look at
			b.Delete(k, nil)
			return true, nil
		}
		b.Delete(k, nil)
		id := string(k[9:])
		v, err := s.get(nameKey(prefixSession, id))
		if err != nil || v == nil {
			return err == nil, err
		}
		if r, err := decodeSession(v); err != nil || !now.Before(r.expires) {
			b.Delete(nameKey(prefixSession, id), nil)
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	if !s.sessionsSwept {
		if err := s.sweepAllSessions(b, now); err != nil {
			return err
		}
		s.sessionsSwept = true
	}
	if err := b.Commit(pebble.NoSync); err != nil {
		return fmt.Errorf("pebble sweep sessions: %w", err)
	}
	return nil
}

// sweepAllSessions adds to b the deletion of every record expired at now (and of undecodable ones).
func (s *Store) sweepAllSessions(b *pebble.Batch, now time.Time) error {
	lower := []byte{prefixSession}
	return s.scan(context.Background(), lower, prefixEnd(lower), func(k, v []byte) (bool, error) {
		r, err := decodeSession(v)
		if err != nil || !now.Before(r.expires) {
			// An undecodable record can never be served: drop it with the expired ones.
			b.Delete(k, nil)
		}
		return true, nil
	})
}
