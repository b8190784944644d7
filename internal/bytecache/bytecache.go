// Package bytecache is a map from strings to byte strings, bounded by bytes and kept outside the Go
// heap (github.com/VictoriaMetrics/fastcache): the garbage collector neither marks its entries nor
// counts them toward its next collection. The node's caches of DID states and of resolution answers
// hold about 100,000 entries each; kept as Go values (list elements, map slots, strings, slices) they
// were about a million objects that every collection marked while requests waited: 150–300 ms of mark
// work per cycle and most of resolution's latency tail (bench/resolve, README).
//
// Eviction is the library's: each of 512 buckets is a ring of 64 KiB chunks, written in order and
// overwritten a chunk at a time when full (first in, first out rather than least recently used).
package bytecache

import (
	"runtime"
	"unsafe"

	"github.com/VictoriaMetrics/fastcache"
)

// Granule is the step of a cache's capacity: the library gives each of its 512 buckets whole 64 KiB
// chunks.
const Granule = 32 << 20

// MaxEntry is the most a key and its value may hold together: an entry must fit one chunk, with its
// 4-byte header.
const MaxEntry = 64<<10 - 5

// Cache is safe for concurrent use. A nil *Cache holds nothing: Get misses, Set keeps nothing.
type Cache struct {
	c        *fastcache.Cache
	capacity int64
}

// New returns a cache holding at most budget bytes rounded down to a multiple of Granule, and at least
// Granule; nil when budget ≤ 0. Memory is taken as entries are written, not up front, and given back to
// the library's pool when the Cache is no longer referenced.
func New(budget int64) *Cache {
	if budget <= 0 {
		return nil
	}
	capacity := max(budget/Granule, 1) * Granule
	c := &Cache{c: fastcache.New(int(capacity)), capacity: capacity}
	// The entries' memory is mapped by the library, not the collector's: without a Reset it would stay
	// taken after the Cache is dropped (a store closed and opened again, tests).
	runtime.AddCleanup(c, func(fc *fastcache.Cache) { fc.Reset() }, c.c)
	return c
}

// bytesOf views a key's bytes without copying: the library reads keys and never keeps or modifies them.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// Get appends key's value to dst.
func (c *Cache) Get(dst []byte, key string) ([]byte, bool) {
	if c == nil {
		return dst, false
	}
	return c.c.HasGet(dst, bytesOf(key))
}

// Fits reports whether key and a value of n bytes can be kept.
func Fits(key string, n int) bool { return len(key)+n <= MaxEntry }

// Set keeps a copy of v under key, replacing what key held, and reports whether it was kept: an entry
// that does not fit is not, and key then holds nothing (never its older value).
func (c *Cache) Set(key string, v []byte) bool {
	if c == nil {
		return false
	}
	if !Fits(key, len(v)) {
		c.c.Del(bytesOf(key))
		return false
	}
	c.c.Set(bytesOf(key), v)
	return true
}

// Del drops key.
func (c *Cache) Del(key string) {
	if c != nil {
		c.c.Del(bytesOf(key))
	}
}

// Stats are a cache's size and use.
type Stats struct {
	Entries  uint64
	Bytes    uint64 // memory taken by the chunks written so far
	Capacity int64
	Gets     uint64
	Misses   uint64
}

// Stats reads the cache's counters.
func (c *Cache) Stats() Stats {
	if c == nil {
		return Stats{}
	}
	var s fastcache.Stats
	c.c.UpdateStats(&s)
	return Stats{Entries: s.EntriesCount, Bytes: s.BytesSize, Capacity: c.capacity, Gets: s.GetCalls, Misses: s.Misses}
}
