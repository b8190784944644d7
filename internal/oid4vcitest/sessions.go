package oid4vcitest

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Sessions is an in-process session store with the node store's contract (exchange/doc.go), for tests;
// the node runs the issuer on its Pebble or MongoDB store. Now is its clock.
type Sessions struct {
	Now func() time.Time
	mu  sync.Mutex
	m   map[string]memRecord
}

type memRecord struct {
	data    []byte
	version uint64
	expires time.Time
}

// NewSessions returns an empty store.
func NewSessions(now func() time.Time) *Sessions {
	return &Sessions{Now: now, m: map[string]memRecord{}}
}

func (s *Sessions) live(id string) (memRecord, bool) {
	r, ok := s.m[id]
	return r, ok && s.Now().Before(r.expires)
}

func (s *Sessions) PutSession(_ context.Context, id string, data []byte, expires time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.live(id); ok {
		return false, nil
	}
	s.m[id] = memRecord{data: slices.Clone(data), version: 1, expires: expires}
	return true, nil
}

func (s *Sessions) GetSession(_ context.Context, id string) ([]byte, uint64, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.live(id)
	if !ok {
		return nil, 0, false, nil
	}
	return slices.Clone(r.data), r.version, true, nil
}

func (s *Sessions) SwapSession(_ context.Context, id string, version uint64, data []byte, expires time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.live(id)
	if !ok || r.version != version {
		return false, nil
	}
	s.m[id] = memRecord{data: slices.Clone(data), version: version + 1, expires: expires}
	return true, nil
}

func (s *Sessions) DeleteSession(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}
