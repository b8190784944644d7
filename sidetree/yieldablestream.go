package sidetree

import (
	"unicode/utf8"
	"unsafe"
)

// EachYieldableElement reads data of the plain shape {"<path[0]>":{"<path[1]>":…[e0,e1,…]}} (each object
// along the path with that one key, once), calling each on every element of the innermost array in order
// (with the element's text in data, and whether that text is the element's JSON.stringify form, so that
// a caller can keep the text instead of writing the element out: one pass instead of a second scan),
// so that a caller can keep what it needs of an element and drop the rest instead of holding a whole-file
// tree: a 10,000-delta chunk file is ~25 MB as one tree.
//
// The elements are what ParseYieldableJSONWith reads from data, because the stream only runs where that
// reading is JSON.parse's (valid UTF-8, valid JSON, neither of yieldable-json's divergent constructs, no
// "__proto__" key), and JSON.parse reads a plain object's one property as it reads the property alone. It
// returns false, having called each on some leading elements perhaps, when data is of any other shape or
// reading, or when each returns false: the caller then reads data whole with ParseYieldableJSONWith and its
// own checks, which give every other input its exact meaning and error. Each element is nested as deep as
// in the whole file, so the depth limit is the same.
//
// The strings of the elements share data's memory instead of a copy of it (a chunk file is megabytes,
// and its copy was a tenth of the time of reading it): data must not change while they are in use.
//
// An element's objects and arrays live only until each returns: the next element is read into the same
// storage, so that a 10,000-element file costs a few allocations instead of a few per element. each must
// copy what it keeps of v (its strings excepted, which are data's).
func EachYieldableElement(data []byte, path []string, each func(i int, v Value, text []byte, stringify bool) bool) bool {
	if len(path) == 0 || len(data) == 0 || !utf8.Valid(data) || hasYieldableDivergence(data) {
		return false
	}
	p := jsonParser{data: data, src: unsafe.String(&data[0], len(data)), store: &parseStore{}, checkJCS: true}
	p.store.sizeChunks(elementChunkBytes)
	depth := 0
	for _, key := range path {
		p.skipSpace()
		if !p.consume('{') {
			return false
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return false
		}
		if k, err := p.str(); err != nil || k != key {
			return false
		}
		p.skipSpace()
		if !p.consume(':') {
			return false
		}
		depth++
	}
	p.skipSpace()
	if !p.consume('[') {
		return false
	}
	depth++
	p.skipSpace()
	if !p.consume(']') {
		for i := 0; ; i++ {
			p.skipSpace()
			start := p.pos
			p.jcs = jcsCheck{buf: p.jcs.buf[:0]}
			v, err := p.value(depth)
			if err != nil || hasProtoKey(v) || !each(i, v, data[start:p.pos:p.pos], p.jcs.isStringify()) {
				return false
			}
			p.store.rewind()
			p.skipSpace()
			if p.consume(']') {
				break
			}
			if !p.consume(',') {
				return false
			}
		}
	}
	for range path {
		p.skipSpace()
		if !p.consume('}') {
			return false
		}
	}
	p.skipSpace()
	return p.pos == len(p.data)
}

// elementChunkBytes sizes the storage an element is read into for an element of about this many bytes
// (a delta of ION's maximum size is 1,000); a larger one gets more chunks, kept until the next rewind.
const elementChunkBytes = 4 << 10

// consume steps over c if it is next.
func (p *jsonParser) consume(c byte) bool {
	if p.pos < len(p.data) && p.data[p.pos] == c {
		p.pos++
		return true
	}
	return false
}
