package pebble

import (
	"sync"

	"github.com/ionode/ionode/internal/sizedlru"
)

// stateMemo keeps recently served DID states in memory, in front of the persisted state cache. A
// resolution that hits it costs no Pebble read: on this kind of VM the two point reads of the persisted
// cache (state, then generation) were half the CPU of a resolution.
//
// It can skip the generation check because Pebble's directory lock makes this process the only writer:
// every generation change goes through bumpGenerations, and its caller forgets the DIDs it bumped once
// the batch is committed. An entry is added only after re-reading the generation under mu, and forget
// runs under mu too, so an add cannot slip in between a bump's commit and its forget with a stale state.
type stateMemo struct {
	mu  sync.Mutex
	lru *sizedlru.LRU[memoState]
}

// memoState is a remembered state with the generation it is current at: while the entry exists, that
// is the DID's generation in the store (the same argument as for the state), so Generation reads it too.
type memoState struct {
	generation uint64
	data       []byte
}

// memoEntryOverhead approximates an entry's bookkeeping beyond its key and value (list element, map
// slot, slice headers), so the budget bounds real memory, not just payload.
const memoEntryOverhead = 128

func newStateMemo(budget int64) *stateMemo {
	if budget <= 0 {
		return nil
	}
	return &stateMemo{lru: sizedlru.New(budget, func(k string, v memoState) int64 { return memoSize(k, v.data) })}
}

func memoSize(k string, v []byte) int64 { return int64(len(k)+len(v)+8) + memoEntryOverhead }

// get returns a remembered state. The slice is shared: callers must not modify it.
func (m *stateMemo) get(suffix string) ([]byte, bool) {
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.lru.Get(suffix)
	return v.data, ok
}

// generation returns the generation of a remembered state: the DID's current one.
func (m *stateMemo) generation(suffix string) (uint64, bool) {
	if m == nil {
		return 0, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.lru.Get(suffix)
	return v.generation, ok
}

// add remembers data as suffix's state if current() still reports generation (read under mu).
func (m *stateMemo) add(suffix string, generation uint64, data []byte, current func() (uint64, error)) error {
	if m == nil || !m.lru.Fits(memoSize(suffix, data)) {
		return nil // one huge state must not flush everything else
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	gen, err := current()
	if err != nil || gen != generation {
		return err
	}
	m.lru.Add(suffix, memoState{generation: generation, data: data})
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
		m.lru.Remove(s)
	}
}
