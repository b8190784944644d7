package sidetree

import "sync"

// parseStore is where the JSON reader keeps a document's objects and arrays. While an object or array is
// read, its members or elements collect in a scratch slice of its depth, reused by the next one at that
// depth and, through a pool, by the next document; when it closes, they are copied into a chunk shared by
// the whole document. A long-form DID's state (about ten objects and ten arrays) then costs two
// allocations instead of about thirty. Each copy is capped at its length, so growing a parsed object or
// array later copies it.
type parseStore struct {
	scratchMembers [][]Member
	scratchElems   [][]Value
	members        []Member
	elems          []Value
	// Members and elements per chunk, from the input's size: a long-form DID's state has a member per
	// ~50 bytes and an element per ~150.
	memberChunk, elemChunk int
}

var parseStores = sync.Pool{New: func() any { return new(parseStore) }}

// maxPooledScratch keeps the scratch of a huge object or array out of the pool.
const maxPooledScratch = 1024

func getParseStore(inputLen int) *parseStore {
	s := parseStores.Get().(*parseStore)
	s.sizeChunks(inputLen)
	return s
}

func (s *parseStore) sizeChunks(inputLen int) {
	s.memberChunk, s.elemChunk = min(max(inputLen/48, 8), 256), min(max(inputLen/128, 8), 256)
}

// release returns the scratch to the pool, emptied: a pooled slice must not keep a document alive.
func (s *parseStore) release() {
	for i, m := range s.scratchMembers {
		if cap(m) > maxPooledScratch {
			s.scratchMembers[i] = nil
		}
		clear(m[:cap(m)])
	}
	for i, e := range s.scratchElems {
		if cap(e) > maxPooledScratch {
			s.scratchElems[i] = nil
		}
		clear(e[:cap(e)])
	}
	s.members, s.elems = nil, nil
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
func (s *parseStore) memberScratch(depth int) []Member {
	if depth < len(s.scratchMembers) {
		return s.scratchMembers[depth][:0]
	}
	return nil
}

// keepMembers copies an object's members into the document's chunk and takes its scratch back.
func (s *parseStore) keepMembers(depth int, scratch, ms []Member) []Member {
	for len(s.scratchMembers) <= depth {
		s.scratchMembers = append(s.scratchMembers, nil)
	}
	s.scratchMembers[depth] = scratch[:0]
	if len(s.members)+len(ms) > cap(s.members) {
		s.members = make([]Member, 0, max(len(ms), s.memberChunk))
	}
	start := len(s.members)
	s.members = append(s.members, ms...)
	return s.members[start : start+len(ms) : start+len(ms)]
}

// elemScratch returns depth's scratch, empty, for an array's elements.
func (s *parseStore) elemScratch(depth int) []Value {
	if depth < len(s.scratchElems) {
		return s.scratchElems[depth][:0]
	}
	return nil
}

// keepElems copies an array's elements into the document's chunk and takes its scratch back.
func (s *parseStore) keepElems(depth int, es []Value) []Value {
	for len(s.scratchElems) <= depth {
		s.scratchElems = append(s.scratchElems, nil)
	}
	s.scratchElems[depth] = es[:0]
	if len(s.elems)+len(es) > cap(s.elems) {
		s.elems = make([]Value, 0, max(len(es), s.elemChunk))
	}
	start := len(s.elems)
	s.elems = append(s.elems, es...)
	return s.elems[start : start+len(es) : start+len(es)]
}
