package sidetree

import (
	"bytes"
	"slices"
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
	p := jsonParser{data: data, src: unsafe.String(&data[0], len(data)), store: &parseStore{}, checkJCS: true, protoFree: protoFree(data)}
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
	if !p.eachElement(depth, each) {
		return false
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

// eachElement reads the array at p, calling each on every element (see EachYieldableElement); depth is
// the array's.
func (p *jsonParser) eachElement(depth int, each func(i int, v Value, text []byte, stringify bool) bool) bool {
	if !p.consume('[') {
		return false
	}
	depth++
	p.skipSpace()
	if p.consume(']') {
		return true
	}
	for i := 0; ; i++ {
		p.skipSpace()
		v, text, stringify, ok := p.streamedValue(depth)
		if !ok || !each(i, v, text, stringify) {
			return false
		}
		p.store.rewind()
		p.skipSpace()
		if p.consume(']') {
			return true
		}
		if !p.consume(',') {
			return false
		}
	}
}

// streamedValue reads the value at p into storage the next rewind reuses, with its text and whether that
// text is its JSON.stringify form. A "__proto__" key, which JSON.parse and yieldable-json read
// differently, fails it.
func (p *jsonParser) streamedValue(depth int) (v Value, text []byte, stringify, ok bool) {
	start := p.pos
	p.jcs = jcsCheck{buf: p.jcs.buf[:0]}
	v, err := p.value(depth)
	if err != nil || !p.protoFree && hasProtoKey(v) {
		return Value{}, nil, false, false
	}
	return v, p.data[start:p.pos:p.pos], p.jcs.isStringify(), true
}

// WalkYieldable reads data, when it is a plain object, one member at a time, so that a file of a few
// properties and long arrays (a core or provisional index file) is checked as it is read instead of
// first becoming a whole-file tree. visit is called in the order of the text:
//   - for a member of the top-level object whose value is an object: with elem -1 and an empty object,
//     and then for each of that object's members, their path two keys long;
//   - for a member whose value is an array: with elem -1 and an empty array, then with each element and
//     its index, as EachYieldableElement calls each;
//   - for any other member: with elem -1 and its value.
//
// Values and elements live until visit returns (it must copy what it keeps, strings excepted, which
// share data). As for EachYieldableElement, the walk only runs where yieldable-json's reading of data is
// JSON.parse's, and returns false, perhaps after some calls, for data of any other reading, for an
// object it walks that repeats a key, has a "__proto__" key or more than maxWalkedMembers members, or
// when visit returns false: the caller then reads data whole, which gives every input its exact meaning
// and error.
func WalkYieldable(data []byte, visit func(path []string, elem int, v Value, text []byte, stringify bool) bool) bool {
	if len(data) == 0 || !utf8.Valid(data) || hasYieldableDivergence(data) {
		return false
	}
	p := jsonParser{data: data, src: unsafe.String(&data[0], len(data)), store: &parseStore{}, checkJCS: true, protoFree: protoFree(data)}
	p.store.sizeChunks(elementChunkBytes)
	p.skipSpace()
	if !p.walkObject(nil, 0, visit) {
		return false
	}
	p.skipSpace()
	return p.pos == len(p.data)
}

// maxWalkedMembers bounds the members of an object WalkYieldable walks (index files have at most four),
// which keeps its repeated-key check linear.
const maxWalkedMembers = 8

func (p *jsonParser) walkObject(path []string, depth int, visit func([]string, int, Value, []byte, bool) bool) bool {
	if !p.consume('{') {
		return false
	}
	var keys [maxWalkedMembers]string
	p.skipSpace()
	if p.consume('}') {
		return true
	}
	for n := 0; ; n++ {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return false
		}
		key, err := p.str()
		if err != nil || key == "__proto__" || n == maxWalkedMembers || slices.Contains(keys[:n], key) {
			return false
		}
		keys[n] = key
		p.skipSpace()
		if !p.consume(':') {
			return false
		}
		p.skipSpace()
		if !p.walkMember(append(path[:len(path):len(path)], key), depth+1, visit) {
			return false
		}
		p.skipSpace()
		if p.consume('}') {
			return true
		}
		if !p.consume(',') {
			return false
		}
	}
}

func (p *jsonParser) walkMember(path []string, depth int, visit func([]string, int, Value, []byte, bool) bool) bool {
	if p.pos < len(p.data) {
		switch c := p.data[p.pos]; {
		case c == '{' && len(path) == 1:
			return visit(path, -1, objectValue(nil), nil, false) && p.walkObject(path, depth, visit)
		case c == '[':
			return visit(path, -1, arrayValue(nil), nil, false) && p.eachElement(depth, func(i int, v Value, text []byte, stringify bool) bool {
				return visit(path, i, v, text, stringify)
			})
		}
	}
	v, text, stringify, ok := p.streamedValue(depth)
	if !ok || !visit(path, -1, v, text, stringify) {
		return false
	}
	p.store.rewind()
	return true
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

// protoFree reports that data can hold no "__proto__" key: neither that text nor a backslash (an escape
// could spell it) is in it. Two scans at memchr speed instead of a walk of every value read.
func protoFree(data []byte) bool {
	return bytes.IndexByte(data, '\\') < 0 && !bytes.Contains(data, []byte("__proto__"))
}
