package pebble

import (
	"encoding/binary"
	"sync"

	"github.com/ionode/ionode/internal/bytecache"
)

// stateMemo keeps recently served DID states in memory, in front of the persisted state cache. A
// resolution that hits it costs no Pebble read: on this kind of VM the two point reads of the persisted
// cache (state, then generation) were half the CPU of a resolution. Its entries live outside the Go
// heap (internal/bytecache): as Go values, 100,000 states were objects every garbage collection marked.
//
// It can skip the generation check because Pebble's directory lock makes this process the only writer:
// every generation change goes through bumpGenerations, and its caller forgets the DIDs it bumped once
// the batch is committed. An entry is added only after re-reading the generation under mu, and forget
// runs under mu too, so an add cannot slip in between a bump's commit and its forget with a stale state.
// Reads need no lock: a read racing with a write sees the state before it or none.
type stateMemo struct {
	mu sync.Mutex // orders add against forget
	c  *bytecache.Cache
}

// An entry's value is the generation the state is current at (8 bytes, big-endian), then the state:
// while the entry exists, that is the DID's generation in the store (the same argument as for the
// state), so Generation reads it too.
const memoGenerationBytes = 8

func newStateMemo(budget int64) *stateMemo {
	if budget <= 0 {
		return nil
	}
	return &stateMemo{c: bytecache.New(budget)}
}

// get returns a copy of a remembered state.
func (m *stateMemo) get(suffix string) ([]byte, bool) {
	if m == nil {
		return nil, false
	}
	v, ok := m.c.Get(nil, suffix)
	if !ok || len(v) < memoGenerationBytes {
		return nil, false
	}
	return v[memoGenerationBytes:], true
}

// generation returns the generation of a remembered state: the DID's current one.
func (m *stateMemo) generation(suffix string) (uint64, bool) {
	if m == nil {
		return 0, false
	}
	var buf [1024]byte // a typical state fits: reading a generation allocates nothing
	v, ok := m.c.Get(buf[:0], suffix)
	if !ok || len(v) < memoGenerationBytes {
		return 0, false
	}
	return binary.BigEndian.Uint64(v), true
}

// add remembers data as suffix's state if current() still reports generation (read under mu).
func (m *stateMemo) add(suffix string, generation uint64, data []byte, current func() (uint64, error)) error {
	if m == nil || !bytecache.Fits(suffix, memoGenerationBytes+len(data)) {
		return nil // too large to keep
	}
	v := make([]byte, memoGenerationBytes, memoGenerationBytes+len(data))
	binary.BigEndian.PutUint64(v, generation)
	v = append(v, data...)
	m.mu.Lock()
	defer m.mu.Unlock()
	gen, err := current()
	if err != nil || gen != generation {
		return err
	}
	m.c.Set(suffix, v)
	return nil
}

// forget drops the states of DIDs whose generation changed.
func (m *stateMemo) forget(suffixes map[string]struct{}) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for s := range suffixes {
		m.c.Del(s)
	}
}
