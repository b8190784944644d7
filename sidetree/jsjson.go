package sidetree

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/gowebpki/jcs"
)

// maxJSONDepth bounds nesting so hostile input cannot exhaust the stack.
const maxJSONDepth = 512

// errNotJSON is wrapped by every ParseJSON failure.
var errNotJSON = errors.New("not valid JSON")

// ParseJSON parses data as JavaScript's JSON.parse does after Buffer.toString(): invalid UTF-8 is replaced
// by U+FFFD, duplicate keys keep the last value at the first position, array-index keys come first.
func ParseJSON(data []byte) (Value, error) { return parseJSON(data, false, nil) }

// parseJSON reads data; with jcs set, it also checks whether data is the JCS form of what it reads. With
// owned set, data is bytes nothing changes while the value is in use (bytes its caller has just made and
// keeps to itself): the value's strings share data's memory instead of a copy.
func parseJSON(data []byte, owned bool, jcs *jcsCheck) (Value, error) {
	return parseJSONIn(data, owned, jcs, nil)
}

// parseJSONIn is parseJSON keeping the objects and arrays read in store, when not nil, instead of a
// pooled store's chunks: a caller reading many small documents that it keeps (a proof file's payloads)
// then shares the chunks between them.
func parseJSONIn(data []byte, owned bool, jcs *jcsCheck, store *parseStore) (Value, error) {
	if !utf8.Valid(data) {
		// Buffer.toString() first: each maximal invalid subpart (a surrogate's encoding included) becomes
		// one U+FFFD, as Node's decoder does.
		data = []byte(NodeUTF8String(data))
		owned = true
		if jcs != nil {
			jcs.differs = true // JCS writes UTF-8
		}
	}
	p := jsonParser{data: data, store: store, checkJCS: jcs != nil}
	if jcs != nil {
		p.jcs = *jcs
		defer func() { *jcs = p.jcs }()
	}
	whole := false
	if store == nil {
		p.store = getParseStore(data)
		defer func() { p.store.release(whole) }()
	}
	// Strings without escapes are cut from one copy of the input: an operation or a long-form DID has
	// dozens of them, and one allocation beats dozens. A value kept from the input keeps that copy alive,
	// which costs no more than the strings did, as they make up most of it.
	if owned && len(data) > 0 {
		p.src = unsafe.String(&data[0], len(data))
	} else {
		p.src = string(data)
	}
	p.skipSpace()
	v, err := p.value(0)
	if err != nil {
		return Value{}, err
	}
	whole = true // every object and array read was kept
	p.skipSpace()
	if p.pos != len(p.data) {
		return Value{}, p.errorf("unexpected data after the JSON value")
	}
	return v, nil
}

type jsonParser struct {
	data []byte // valid UTF-8, which strPlain relies on
	src  string // data as a string, for the strings that need no unescaping
	pos  int
	buf  []byte
	// store holds the objects and arrays read; see storage.
	store *parseStore
	// jcs, when checkJCS is set, is told what it needs to check that data is the JCS form of its value.
	// (It is held here, not pointed to, so that a caller's check stays on its stack.)
	checkJCS bool
	jcs      jcsCheck
	// protoFree: data has no "__proto__" key, as it holds neither that text nor any escape that could
	// spell it, so the streamed values need not be searched for one (see streamedValue).
	protoFree bool
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s at offset %d", errNotJSON, fmt.Sprintf(format, args...), p.pos)
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
			if p.checkJCS {
				p.jcs.differs = true // JCS writes no white space
			}
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (Value, error) {
	if depth > maxJSONDepth {
		return Value{}, p.errorf("nesting deeper than %d", maxJSONDepth)
	}
	if p.pos >= len(p.data) {
		return Value{}, p.errorf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, plain, err := p.strPlain()
		return stringValue(s, plain), err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case p.literal("true"):
		return Value{kind: KindBool, b: true}, nil
	case p.literal("false"):
		return Value{kind: KindBool}, nil
	case p.literal("null"):
		return Value{kind: KindNull}, nil
	default:
		return Value{}, p.errorf("unexpected character %q", c)
	}
}

func (p *jsonParser) literal(word string) bool {
	if len(p.data)-p.pos >= len(word) && string(p.data[p.pos:p.pos+len(word)]) == word {
		p.pos += len(word)
		return true
	}
	return false
}

func (p *jsonParser) object(depth int) (Value, error) {
	p.pos++ // {
	b := jsObjectBuilder[Value]{props: p.storage().memberScratch(depth)}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return objectValue([]Member{}), nil
	}
	prevKey := ""
	for i := 0; ; i++ {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return Value{}, p.errorf("expected a property name")
		}
		key, err := p.str()
		if err != nil {
			return Value{}, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return Value{}, p.errorf("expected ':'")
		}
		p.pos++
		p.skipSpace()
		start := p.pos
		val, err := p.value(depth + 1)
		if err != nil {
			return Value{}, err
		}
		if p.checkJCS {
			p.jcs.member(depth, i, prevKey, key, start, p.pos)
			prevKey = key
		}
		b.set(key, val)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return Value{}, p.errorf("unexpected end of input in object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			members := b.ordered()
			if p.checkJCS {
				p.jcs.indexKey = p.jcs.indexKey || b.anyIndexKey
				p.jcs.repeatedKey = p.jcs.repeatedKey || len(members) != i+1
			}
			return objectValue(p.storage().keepMembers(depth, b.props, members)), nil
		default:
			return Value{}, p.errorf("expected ',' or '}'")
		}
	}
}

func (p *jsonParser) array(depth int) (Value, error) {
	p.pos++ // [
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return arrayValue([]Value{}), nil
	}
	elems := p.storage().elemScratch(depth)
	for {
		p.skipSpace()
		e, err := p.value(depth + 1)
		if err != nil {
			return Value{}, err
		}
		elems = append(elems, e)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return Value{}, p.errorf("unexpected end of input in array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return arrayValue(p.storage().keepElems(depth, elems)), nil
		default:
			return Value{}, p.errorf("expected ',' or ']'")
		}
	}
}

func (p *jsonParser) number() (Value, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return Value{}, p.errorf("malformed number")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return Value{}, p.errorf("malformed number")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return Value{}, p.errorf("malformed number")
		}
	}
	// Out-of-range literals become ±Infinity or 0 in JavaScript too, so a range error is not a failure.
	n, err := strconv.ParseFloat(string(p.data[start:p.pos]), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return Value{}, p.errorf("malformed number")
	}
	if p.checkJCS {
		p.jcs.number(p.data[start:p.pos], n)
	}
	return Number(n), nil
}

func (p *jsonParser) str() (string, error) {
	s, _, err := p.strPlain()
	return s, err
}

// strPlain reads a string and reports whether it is jsonPlain.
func (p *jsonParser) strPlain() (string, bool, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: a run without escapes or control characters, eight bytes at a time. The input is
	// valid UTF-8 (both readers check it first), and a run cut at ASCII quotes of valid UTF-8 is valid:
	// it is the string itself, with nothing JSON.stringify would escape.
	for p.pos+8 <= len(p.src) && endsPlainRun(word(p.src, p.pos)) == 0 {
		p.pos += 8
	}
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			p.pos++
			return p.src[start : p.pos-1], true, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	p.buf = append(p.buf[:0], p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			out := p.buf
			if !utf8.Valid(out) {
				out = replaceInvalidUTF8(nil, out)
			}
			s := string(out)
			if p.checkJCS {
				p.jcs.escapedString(p.data[start-1:p.pos], s)
			}
			return s, false, nil
		case c < 0x20:
			return "", false, p.errorf("control character in string")
		case c != '\\':
			p.buf = append(p.buf, c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(p.data) {
			break
		}
		esc := p.data[p.pos]
		p.pos++
		switch esc {
		case '"', '\\', '/':
			p.buf = append(p.buf, esc)
		case 'b':
			p.buf = append(p.buf, '\b')
		case 'f':
			p.buf = append(p.buf, '\f')
		case 'n':
			p.buf = append(p.buf, '\n')
		case 'r':
			p.buf = append(p.buf, '\r')
		case 't':
			p.buf = append(p.buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", false, p.errorf("malformed \\u escape")
			}
			if r >= 0xD800 && r <= 0xDBFF && p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
				save := p.pos
				p.pos += 2
				lo, ok := p.hex4()
				if ok && lo >= 0xDC00 && lo <= 0xDFFF {
					p.buf = utf8.AppendRune(p.buf, 0x10000+(r-0xD800)<<10+(lo-0xDC00))
					continue
				}
				p.pos = save
			}
			p.buf = appendWTF8(p.buf, r)
		default:
			return "", false, p.errorf("invalid escape character %q", esc)
		}
	}
	return "", false, p.errorf("unterminated string")
}

func (p *jsonParser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for i := 0; i < 4; i++ {
		c := p.data[p.pos+i]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

// appendWTF8 appends r, writing a lone surrogate in its three-byte form instead of U+FFFD.
func appendWTF8(b []byte, r rune) []byte {
	if r >= 0xD800 && r <= 0xDFFF {
		return append(b, 0xED, byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F))
	}
	return utf8.AppendRune(b, r)
}

// replaceInvalidUTF8 replaces each invalid byte sequence with U+FFFD, keeping WTF-8 surrogates made by
// appendWTF8.
func replaceInvalidUTF8(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			dst = append(dst, s[i])
			i++
			continue
		}
		if r, size := decodeWTF8(string(s[i:min(len(s), i+4)])); r != utf8.RuneError || size > 1 {
			dst = append(dst, s[i:i+size]...)
			i += size
			continue
		}
		dst = utf8.AppendRune(dst, utf8.RuneError)
		i++
	}
	return dst
}

// Stringify serializes v as JavaScript's JSON.stringify does (no indentation).
func (v Value) Stringify() []byte {
	return v.appendJSON(make([]byte, 0, 256), false)
}

// AppendStringify appends the JSON.stringify form to dst, so a server can serialize into a reused buffer.
func (v Value) AppendStringify(dst []byte) []byte { return v.appendJSON(dst, false) }

// String returns the JSON.stringify form, for logs and tests.
func (v Value) String() string { return string(v.Stringify()) }

// errNotCanonicalizable is returned for values RFC 8785 cannot express (NaN, ±Infinity).
var errNotCanonicalizable = errors.New("value has a number JCS cannot represent")

// Canonicalize serializes v by RFC 8785 (JCS), as the reference's `canonicalize` package does.
func (v Value) Canonicalize() ([]byte, error) { return v.appendCanonical(make([]byte, 0, 256)) }

// appendCanonical appends v's JCS form to dst. A caller that only hashes the form passes a buffer on its
// own stack: a batch hashes one suffix data per create, and a heap buffer each was a tenth of reading one.
func (v Value) appendCanonical(dst []byte) ([]byte, error) {
	if v.hasNonFinite() {
		return nil, errNotCanonicalizable
	}
	return v.appendJSON(dst, true), nil
}

func (v Value) hasNonFinite() bool {
	switch v.kind {
	case KindNumber:
		return math.IsInf(v.num(), 0) || math.IsNaN(v.num())
	case KindArray:
		for _, e := range v.arr() {
			if e.hasNonFinite() {
				return true
			}
		}
	case KindObject:
		for _, m := range v.members() {
			if m.Value.hasNonFinite() {
				return true
			}
		}
	}
	return false
}

func (v Value) appendJSON(b []byte, canonical bool) []byte {
	switch v.kind {
	case KindNull:
		return append(b, "null"...)
	case KindBool:
		if v.b {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case KindNumber:
		return appendNumber(b, v.num())
	case KindString:
		if v.plain {
			return appendPlainString(b, v.str())
		}
		return appendString(b, v.str())
	case KindArray:
		b = append(b, '[')
		for i, e := range v.arr() {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.appendJSON(b, canonical)
		}
		return append(b, ']')
	default:
		ms := v.members()
		if canonical && len(ms) > 1 {
			ms = sortedMembers(ms)
		}
		b = append(b, '{')
		for i, m := range ms {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, m.Key)
			b = append(b, ':')
			b = m.Value.appendJSON(b, canonical)
		}
		return append(b, '}')
	}
}

func appendNumber(b []byte, n float64) []byte {
	if math.IsInf(n, 0) || math.IsNaN(n) {
		return append(b, "null"...) // JSON.stringify's rule
	}
	if n == math.Trunc(n) && math.Abs(n) < 1e15 {
		return strconv.AppendInt(b, int64(n), 10) // covers -0, which JavaScript prints as 0
	}
	s, err := jcs.NumberToJSON(n)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, s...)
}
