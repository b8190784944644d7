package sidetree

import (
	"bytes"
	"sync"
)

// parseStore is where the JSON reader keeps a document's objects and arrays. While an object or array is
// read, its members or elements collect in a scratch slice of its depth, reused by the next one at that
// depth and, through a pool, by the next document; when it closes, they are copied into a chunk shared by
// the whole document. A long-form DID's state (about ten objects and ten arrays) then costs two
// allocations instead of about thirty. Each copy is capped at its length, so growing a parsed object or
// array later copies it.
type parseStore struct {
	members depthStore[Member]
	elems   depthStore[Value]
}

// depthStore is the scratch per depth and the document's chunk for one kind of item.
type depthStore[T any] struct {
	scratch [][]T
	used    []int // how far each depth's scratch was used by the items kept
	chunk   []T
	// chunkSize is how many items a chunk holds, from the input's size.
	chunkSize int
}

var parseStores = sync.Pool{New: func() any { return new(parseStore) }}

// maxPooledScratch keeps the scratch of a huge object or array out of the pool.
const maxPooledScratch = 1024

func getParseStore(data []byte) *parseStore {
	s := parseStores.Get().(*parseStore)
	s.sizeChunksFor(data)
	return s
}

// sizeChunks: a long-form DID's state has a member per ~50 bytes and an element per ~150.
func (s *parseStore) sizeChunks(inputLen int) {
	s.members.chunkSize, s.elems.chunkSize = min(max(inputLen/48, 8), 256), min(max(inputLen/128, 8), 256)
}

// sizeChunksFor sizes the chunks for a whole document from what it holds, so that a small one (an
// operation, a long-form DID's state: ~30 members, ~10 elements) takes one chunk of each: every member
// has a ':' of its own, and elements number commas - members + objects + arrays at most, give or take
// the ':' inside strings (a few URLs'), which the slack covers. Hostile counts cannot size a chunk past
// what the input's length allows.
func (s *parseStore) sizeChunksFor(data []byte) {
	colons := bytes.Count(data, []byte{':'})
	elems := bytes.Count(data, []byte{','}) - colons + bytes.Count(data, []byte{'{'}) + bytes.Count(data, []byte{'['}) + 4
	maxItems := min(max(len(data)/16, 8), 256)
	s.members.chunkSize, s.elems.chunkSize = min(max(colons, 4), maxItems), min(max(elems, 4), maxItems)
}

// release returns the scratch to the pool, emptied: a pooled slice must not keep a document alive. After
// a whole read, each scratch is emptied as far as it was used (a scratch grown by a large document
// would otherwise cost every small one after it a clear of its whole capacity); after a failed one,
// which may have written past that, wholly.
func (s *parseStore) release(whole bool) {
	s.members.release(whole)
	s.elems.release(whole)
	parseStores.Put(s)
}

// storage returns the parser's store. A parser made without one (a reader that walks a large document
// an element at a time makes its own) gets an unpooled store on first use.
func (p *jsonParser) storage() *parseStore {
	if p.store == nil {
		p.store = &parseStore{}
		p.store.sizeChunks(len(p.data))
	}
	return p.store
}

// memberScratch returns depth's scratch, empty, for an object's members.
func (s *parseStore) memberScratch(depth int) []Member { return s.members.take(depth) }

// keepMembers copies an object's members into the document's chunk and takes its scratch back.
func (s *parseStore) keepMembers(depth int, scratch, ms []Member) []Member {
	return s.members.keep(depth, scratch, ms)
}

// elemScratch returns depth's scratch, empty, for an array's elements.
func (s *parseStore) elemScratch(depth int) []Value { return s.elems.take(depth) }

// keepElems copies an array's elements into the document's chunk and takes its scratch back.
func (s *parseStore) keepElems(depth int, es []Value) []Value { return s.elems.keep(depth, es, es) }

func (d *depthStore[T]) take(depth int) []T {
	if depth < len(d.scratch) {
		return d.scratch[depth][:0]
	}
	return nil
}

// keep copies items into the chunk, capped at their length, and keeps scratch for depth's next use.
func (d *depthStore[T]) keep(depth int, scratch, items []T) []T {
	for len(d.scratch) <= depth {
		d.scratch, d.used = append(d.scratch, nil), append(d.used, 0)
	}
	d.scratch[depth], d.used[depth] = scratch[:0], max(d.used[depth], len(scratch))
	if len(d.chunk)+len(items) > cap(d.chunk) {
		d.chunk = make([]T, 0, max(len(items), d.chunkSize))
	}
	start := len(d.chunk)
	d.chunk = append(d.chunk, items...)
	return d.chunk[start : start+len(items) : start+len(items)]
}

// rewind lets the next document reuse the current chunks from their start: every object and array read
// so far is overwritten by what is read next, so none of them may still be in use.
func (s *parseStore) rewind() {
	s.members.chunk = s.members.chunk[:0]
	s.elems.chunk = s.elems.chunk[:0]
}

func (d *depthStore[T]) release(whole bool) {
	for i, sc := range d.scratch {
		if cap(sc) > maxPooledScratch {
			d.scratch[i], d.used[i] = nil, 0
			continue
		}
		n := cap(sc)
		if whole {
			n = d.used[i]
		}
		clear(sc[:n])
		d.used[i] = 0
	}
	d.chunk = nil
}
