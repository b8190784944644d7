// Package sizedlru is a least-recently-used map bounded by the bytes its entries hold rather than by
// their number: the answer cache keeps the verifiers' parsed results in it (resolver/ion.Answers; the
// serialized answers and the DID states live outside the Go heap, in internal/bytecache).
package sizedlru

import (
	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// LRU maps strings to values within a byte budget, as size counts each entry. It is not safe for
// concurrent use: callers hold their own lock (they often check something else under it).
type LRU[V any] struct {
	lru    *simplelru.LRU[string, V]
	size   func(key string, v V) int64
	bytes  int64
	budget int64
}

// New returns an LRU holding at most budget bytes (budget > 0).
func New[V any](budget int64, size func(key string, v V) int64) *LRU[V] {
	l := &LRU[V]{size: size, budget: budget}
	// The LRU's own entry limit is never reached: the byte budget evicts first.
	l.lru, _ = simplelru.NewLRU(1<<30, func(k string, v V) { l.bytes -= l.size(k, v) })
	return l
}

// Fits reports whether an entry of this size may be kept: one huge entry must not flush everything else.
func (l *LRU[V]) Fits(size int64) bool { return size <= l.budget/8 }

// Add keeps v under key (replacing and uncounting what key held) and evicts the least recently used
// entries until the budget holds; an entry that does not fit is not kept.
func (l *LRU[V]) Add(key string, v V) {
	size := l.size(key, v)
	if !l.Fits(size) {
		return
	}
	// Replacing a key does not call the eviction callback: the older value is uncounted here.
	if old, ok := l.lru.Peek(key); ok {
		l.bytes -= l.size(key, old)
	}
	l.lru.Add(key, v)
	l.grow(size)
}

// grow counts delta more bytes held by the entries and evicts until the budget holds.
func (l *LRU[V]) grow(delta int64) {
	l.bytes += delta
	for l.bytes > l.budget {
		if _, _, ok := l.lru.RemoveOldest(); !ok {
			break
		}
	}
}

// Get returns key's value and marks it recently used.
func (l *LRU[V]) Get(key string) (V, bool) { return l.lru.Get(key) }

// Peek returns key's value without marking it used.
func (l *LRU[V]) Peek(key string) (V, bool) { return l.lru.Peek(key) }

// Remove drops key.
func (l *LRU[V]) Remove(key string) { l.lru.Remove(key) }

// Keys returns the keys, oldest first.
func (l *LRU[V]) Keys() []string { return l.lru.Keys() }

// Bytes returns the bytes counted for the entries held.
func (l *LRU[V]) Bytes() int64 { return l.bytes }
