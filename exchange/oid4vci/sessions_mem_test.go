package oid4vci_test

import (
	"context"
	"slices"
	"sync"
	"time"
)

// memSessions is an in-process session store with the node store's contract (exchange/doc.go), for the
// package tests; the node runs the issuer on its Pebble or MongoDB store.
type memSessions struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string]memRecord
}

type memRecord struct {
	data    []byte
	version uint64
	expires time.Time
}

func newMemSessions(now func() time.Time) *memSessions {
	return &memSessions{now: now, m: map[string]memRecord{}}
}

func (s *memSessions) live(id string) (memRecord, bool) {
	r, ok := s.m[id]
	return r, ok && s.now().Before(r.expires)
}

func (s *memSessions) PutSession(_ context.Context, id string, data []byte, expires time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.live(id); ok {
		return false, nil
	}
	s.m[id] = memRecord{data: slices.Clone(data), version: 1, expires: expires}
	return true, nil
}

func (s *memSessions) GetSession(_ context.Context, id string) ([]byte, uint64, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.live(id)
	if !ok {
		return nil, 0, false, nil
	}
	return slices.Clone(r.data), r.version, true, nil
}

func (s *memSessions) SwapSession(_ context.Context, id string, version uint64, data []byte, expires time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.live(id)
	if !ok || r.version != version {
		return false, nil
	}
	s.m[id] = memRecord{data: slices.Clone(data), version: version + 1, expires: expires}
	return true, nil
}

func (s *memSessions) DeleteSession(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}
