package sidetree

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The reference does not parse everything with JSON.parse: RequestHandler (the whole POST body, before
// anything else), every signed data payload and every batch file go through yieldable-json 1.1.0
// (util/JsonAsync.ts), a hand-written parser that rejects some JSON (any number with a signed exponent)
// and accepts much that is not JSON ("[1 2]" is [12], `{"a":tru}` holds a ParseError object, "{}x" is {},
// "\u005cn" is a newline, raw control characters, unknown escapes, non-string keys) and treats
// "__proto__" as JavaScript assignment does. What an input means must be what it means to the reference,
// so this is a transcription of its parser (yieldable-parser.js), quirks included, over UTF-16 code units
// as JavaScript sees them. It is the only one in the code base: the request path and the batch files use
// it with their own limits.
//
// It is linear in its input where the original is not: the original splices the whole string once per
// escape and copies the rest of the input into every nested ParseError. Here a string's escapes are
// decoded in one pass, a ParseError's text is a substring of one conversion of the input, and objects
// find repeated keys through an index.

// ErrYieldable is wrapped by every failure of ParseYieldableJSON.
var ErrYieldable = errors.New("not accepted by the reference's JSON reader (yieldable-json)")

// ErrYieldablePrototype: "__proto__" set an object's prototype to an object with properties, which
// JavaScript would then show through for-in and property reads but not through JSON.stringify or
// Object.keys. A Value cannot hold that, so where the value is read property by property (batch files,
// signed data payloads) such input is refused (no honest writer produces one).
var ErrYieldablePrototype = errors.New("a __proto__ property gives an object inherited properties")

// YieldableLimits bounds what ParseYieldableJSONWith reads beyond the reference's own rules.
type YieldableLimits struct {
	// MaxDepth stands for JavaScript's stack limit: deeper nesting fails.
	MaxDepth int
	// RefusePrototypes fails the parse where a "__proto__" key gives an object inherited properties.
	// Otherwise the key is dropped, which is what JSON.stringify of the reference's value shows: right
	// for a request body, which the reference only reads for its type and the size of its delta.
	RefusePrototypes bool
}

// Depth limits, each where the reference's own stack gives out for that caller.
const (
	// RequestYieldableDepth: a request body or signed data payload nested deeper fails in Node with a
	// RangeError.
	RequestYieldableDepth = 5000
	// BatchYieldableDepth: V8 overflows its stack a little above 3,000 levels of yieldable-json nesting
	// when it reads a batch file (Node 20), crashing the reference node.
	BatchYieldableDepth = 3000
)

// ParseYieldableJSON parses data (after Buffer.toString()) as yieldable-json's parseAsync does, with the
// limits of the request path: the POST body and signed data payloads.
func ParseYieldableJSON(data []byte) (Value, error) {
	return ParseYieldableJSONWith(data, YieldableLimits{MaxDepth: RequestYieldableDepth})
}

// ParseYieldableJSONWith parses data as yieldable-json does, within lim. Every failure is an *Error with
// code CodeInvalidJSON wrapping ErrYieldable (and ErrYieldablePrototype where that is the cause).
func ParseYieldableJSONWith(data []byte, lim YieldableLimits) (Value, error) {
	v, _, err := parseYieldable(data, lim, false, nil)
	return v, err
}

// ParseOwnedYieldableJSONWith is ParseYieldableJSONWith for data that nothing changes while the value is
// in use (a file its caller has just decompressed): the value's strings share data's memory instead of a
// copy of it, which was a sixth of the time of reading a signed data payload.
func ParseOwnedYieldableJSONWith(data []byte, lim YieldableLimits) (Value, error) {
	v, _, err := parseYieldable(data, lim, true, nil)
	return v, err
}

// parseYieldable is ParseYieldableJSONWith that also reports whether the value is JSON.parse's reading
// of data too (ParseJSON's own result), so a caller that needs both readings parses once. owned is
// parseJSON's: nothing changes data while the value is in use; store is parseJSONIn's.
func parseYieldable(data []byte, lim YieldableLimits, owned bool, store *parseStore) (v Value, sameAsJSON bool, err error) {
	// Valid JSON without the few constructs the two readers treat differently means the same to both,
	// and JSON.parse's reading is several times faster.
	if utf8.Valid(data) && !hasYieldableDivergence(data) {
		if v, err := parseJSONIn(data, owned, nil, store); err == nil && !hasProtoKey(v) { // JSON.parse keeps "__proto__" as a key
			return v, true, nil
		}
	}
	v, err = parseYieldableSlow(data, lim)
	return v, false, err
}

func parseYieldableSlow(data []byte, lim YieldableLimits) (Value, error) {
	p := &yieldableParser{src: decodeUTF8AsNode(data), ch: ' ', maxDepth: lim.MaxDepth, refusePrototypes: lim.RefusePrototypes}
	top, err := p.parse(0)
	if err != nil {
		return Value{}, yieldableError(err)
	}
	if top.kind == yParseError {
		return Value{}, yieldableError(errors.New(top.message))
	}
	// isEmpty: what is left may start with one '}' or ']', then only white space.
	rest := p.src[p.base:]
	if len(rest) > 0 && (rest[0] == '}' || rest[0] == ']') {
		rest = rest[1:]
	}
	if len(trimJSUnits(rest)) != 0 {
		return Value{}, yieldableError(errors.New("unexpected character after the value"))
	}
	v, err := p.value(top)
	if err != nil {
		return Value{}, yieldableError(err)
	}
	return v, nil
}

func yieldableError(err error) error {
	return &Error{Code: CodeInvalidJSON, Message: "input is not JSON to the reference's parser: " + err.Error(), Err: errors.Join(ErrYieldable, err)}
}

// hasYieldableDivergence reports the two constructs of valid JSON that yieldable-json reads differently,
// even where JSON.parse would let a later duplicate key hide them: a \u escape of a backslash (decoded
// twice) and a signed exponent (its number reading stops at the sign). It follows strings as JSON does, so
// that base64url text such as "e-" inside a string does not count: only valid JSON reaches the fast path,
// and there a byte is inside a string exactly when this scan says so. Anything it flags that is harmless
// only costs the slow path, never the reverse.
func hasYieldableDivergence(data []byte) bool {
	var searched int
	return divergenceScan(data, &searched)
}

// divergenceScan is hasYieldableDivergence, adding to *searched the bytes its searches went over (the
// linearity test's measure of its work).
func divergenceScan(data []byte, searched *int) bool {
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			end, diverges := skipStringForDivergence(data, i+1, searched)
			if diverges {
				return true
			}
			i = end
		case 'e', 'E':
			if i+1 < len(data) && (data[i+1] == '+' || data[i+1] == '-') {
				return true
			}
		}
	}
	return false
}

// skipStringForDivergence steps over a string's text from start and returns where its closing quote is
// (len(data) if none), or reports a \u escape of a backslash in it. Base64url strings are most of a
// batch file and have no escapes, so the quote and the backslashes are searched for rather than every
// byte looked at.
func skipStringForDivergence(data []byte, start int, searched *int) (end int, diverges bool) {
	for j := start; j < len(data); {
		end = j + bytes.IndexByte(data[j:], '"')
		if end < j {
			end = len(data) // unterminated: its escapes still count
		}
		*searched += end - j + 1
		// Each escape up to the quote; one that escapes the quote itself sends the search past it. Every
		// byte is searched once for a quote and once for a backslash: linear, however many escapes.
		for j <= end {
			b := bytes.IndexByte(data[j:end], '\\')
			if b < 0 {
				*searched += end - j
				return end, false
			}
			*searched += b + 1
			k := j + b
			if k+5 < len(data) && data[k+1] == 'u' && data[k+2] == '0' && data[k+3] == '0' && data[k+4] == '5' && (data[k+5] == 'c' || data[k+5] == 'C') {
				return 0, true
			}
			j = k + 2 // the escaped character neither ends the string nor starts another escape
		}
	}
	return len(data), false
}

// hasProtoKey reports a "__proto__" key anywhere: JSON.parse makes it a property, yieldable-json's
// assignment a prototype.
func hasProtoKey(v Value) bool {
	return anyKey(v, func(k string) bool { return k == "__proto__" })
}

type yKind uint8

const (
	yNull yKind = iota
	yBool
	yNumber
	yString
	yArray
	yObject
	yParseError // yieldable-json's ParseError: an object {name, message, text}
)

type yNode struct {
	kind    yKind
	b       bool
	n       float64
	s       string
	arr     []*yNode
	obj     *yObj
	message string // ParseError
	text    int    // ParseError: the byte offset in the input's conversion where its text begins
}

type yObj struct {
	jsObjectBuilder[*yNode]
	proto *yNode // set by a "__proto__" assignment; a null node for null
}

func (o *yObj) set(key string, v *yNode) {
	if key == "__proto__" {
		// Object.prototype's __proto__ setter: objects and null become the prototype, the rest is ignored.
		if v.kind == yNull || v.kind == yArray || v.kind == yObject || v.kind == yParseError {
			o.proto = v
		}
		return
	}
	o.jsObjectBuilder.set(key, v)
}

// yieldableParser holds the reference parser's closure state: parseStr is src[base:], at is relative to
// it, and ch is the current character (-1 for the empty string JavaScript's charAt returns past the end).
type yieldableParser struct {
	src      []uint16
	base     int
	at       int
	ch       int
	keyN     bool
	maxDepth int

	refusePrototypes bool

	// The input as a Value string, made when the first ParseError is converted; every ParseError's text
	// is a substring of it. A text starts where the parser last sliced, always after an ASCII character,
	// so no substring splits a surrogate pair. wtf8Unit/wtf8Byte is how far offsets have been counted.
	wtf8     string
	wtf8Made bool
	wtf8Unit int
	wtf8Byte int
}

func (p *yieldableParser) charAt(i int) int {
	if i < 0 || p.base+i >= len(p.src) {
		return -1
	}
	return int(p.src[p.base+i])
}

// slice is parseStr = parseStr.slice(k).
func (p *yieldableParser) slice(k int) {
	n := len(p.src) - p.base
	if k < 0 {
		k = max(n+k, 0)
	}
	p.base += min(k, n)
}

// seek moves to the next character, skipping every code unit up to ' ' (not only JSON's white space).
func (p *yieldableParser) seek() {
	for {
		p.ch = p.charAt(p.at)
		p.at++
		if !(p.ch >= 0 && p.ch <= ' ') {
			return
		}
	}
}

// parseError records where its text (the unread input) begins, as a byte offset: ParseErrors are made in
// input order, so counting forward from the last one costs each unit once.
func (p *yieldableParser) parseError(message string) *yNode {
	for p.wtf8Unit < p.base {
		u := p.src[p.wtf8Unit]
		switch {
		case u < 0x80:
			p.wtf8Byte++
		case u < 0x800:
			p.wtf8Byte += 2
		case isHighSurrogate(u) && p.wtf8Unit+1 < len(p.src) && isLowSurrogate(p.src[p.wtf8Unit+1]):
			p.wtf8Byte += 4
			p.wtf8Unit++
		default:
			p.wtf8Byte += 3
		}
		p.wtf8Unit++
	}
	return &yNode{kind: yParseError, message: message, text: p.wtf8Byte}
}

func isASCIILetter(c int) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// word is wordCheck: letters (seek skips control characters between them) up to the first non-letter.
func (p *yieldableParser) word() string {
	var w []byte
	for {
		if p.ch >= 0 {
			if p.ch < utf8.RuneSelf {
				w = append(w, byte(p.ch))
			} else {
				w = append(w, 0xFF) // never part of a literal
			}
		}
		p.seek()
		if !isASCIILetter(p.ch) {
			break
		}
	}
	p.slice(p.at - 1)
	p.at = 0
	return string(w)
}

// quoted is normalizeUnicodedString: the text up to the first '"' not preceded by an odd run of
// backslashes, with its escapes decoded.
func (p *yieldableParser) quoted() []uint16 {
	var inQuotes []uint16
	temp := p.at
	for {
		index := -1
		for j := max(temp+1, 0); p.base+j < len(p.src); j++ {
			if p.src[p.base+j] == '"' {
				index = j
				break
			}
		}
		temp = index
		slash := 0
		for p.charAt(temp-(slash+1)) == '\\' {
			slash++
		}
		if slash%2 == 0 {
			// substring(at, index), with JavaScript's clamping and swapping of its arguments.
			a, b := max(p.at, 0), max(index, 0)
			if a > b {
				a, b = b, a
			}
			n := len(p.src) - p.base
			a, b = min(a, n), min(b, n)
			inQuotes = append([]uint16(nil), p.src[p.base+a:p.base+b]...)
			p.slice(index + 1)
			break
		}
	}
	p.at = 0
	return unescapeYieldable(inQuotes)
}

// unescapeYieldable decodes escapes as the reference does, in one pass where it splices the string once
// per escape: a \u escape's character is looked at again (so an escaped backslash starts a new escape), a
// simple escape's is not, and an unknown escape ends the decoding, leaving the rest as it is. A \u escape
// always takes six characters, hex digits or not.
func unescapeYieldable(s []uint16) []uint16 {
	r, w := 0, 0
	for r < len(s) {
		if s[r] != '\\' {
			s[w] = s[r]
			w, r = w+1, r+1
			continue
		}
		ch := unitAt(s, r+1)
		if ch == 'u' {
			code := 0
			for i := range 4 {
				h := hexValue(unitAt(s, r+2+i))
				if h < 0 {
					break
				}
				code = code*16 + h
			}
			end := min(r+6, len(s))
			s[end-1] = uint16(code)
			r = end - 1
			continue
		}
		if e, ok := simpleEscape(ch); ok {
			s[w] = e
			w, r = w+1, r+2
			continue
		}
		w += copy(s[w:], s[r:])
		break
	}
	return s[:w]
}

func simpleEscape(c int) (uint16, bool) {
	switch c {
	case '"', '\'', '/', '\\':
		return uint16(c), true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	}
	return 0, false
}

func unitAt(s []uint16, i int) int {
	if i < 0 || i >= len(s) {
		return -1
	}
	return int(s[i])
}

func hexValue(c int) int {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return -1
}

// isNumericUnit is isFinite(c) for a one-character string: digits, and white space (Number(" ") is 0).
func isNumericUnit(c int) bool {
	return (c >= '0' && c <= '9') || (c >= 0 && isJSWhiteSpace(rune(c)))
}

var errTooDeep = errors.New("nesting too deep")

// parse is parseYield. A ParseError is returned as a node (nested, the caller keeps it as a value; at the
// top it fails the parse); err is for what ends the whole parse.
func (p *yieldableParser) parse(depth int) (*yNode, error) {
	if depth > p.maxDepth {
		return nil, errTooDeep
	}
	if p.charAt(0) == '[' && p.charAt(1) == ']' {
		p.base = len(p.src)
		return &yNode{kind: yArray}, nil
	}
	if p.charAt(0) == '{' && p.charAt(1) == '}' {
		p.base = len(p.src)
		return &yNode{kind: yObject, obj: &yObj{}}, nil
	}
	if !p.keyN {
		p.seek()
	}
	switch {
	case p.ch == '{':
		obj := &yObj{}
		p.seek()
		if p.ch == '}' {
			p.slice(p.at)
			p.at = 0
			return &yNode{kind: yObject, obj: obj}, nil
		}
		for {
			if p.ch != '"' {
				p.seek()
			}
			p.keyN = true
			key, err := p.parse(depth + 1)
			if err != nil {
				return nil, err
			}
			p.keyN = false
			p.seek()
			val, err := p.parse(depth + 1)
			if err != nil {
				return nil, err
			}
			k, err := propertyKey(key)
			if err != nil {
				return nil, err
			}
			obj.set(k, val)
			p.seek()
			if p.ch == '}' {
				p.slice(p.at)
				p.at = 0
				return &yNode{kind: yObject, obj: obj}, nil
			}
			if p.ch != ',' {
				return p.parseError("Bad object"), nil
			}
		}
	case p.ch == '[':
		arr := &yNode{kind: yArray}
		p.seek()
		if p.ch == ']' {
			p.slice(p.at)
			p.at = 0
			return arr, nil
		}
		p.at-- // unseek
		p.ch = p.charAt(p.at)
		for {
			v, err := p.parse(depth + 1)
			if err != nil {
				return nil, err
			}
			arr.arr = append(arr.arr, v)
			p.seek()
			if p.ch == ']' {
				p.slice(p.at)
				p.at = 0
				return arr, nil
			}
			if p.ch != ',' {
				return p.parseError("Bad array"), nil
			}
		}
	case p.ch == '"':
		p.slice(p.at - 1)
		p.at = 0
		if p.charAt(0) == '"' && p.charAt(1) == '"' {
			p.slice(2)
			p.at = 0
			return &yNode{kind: yString}, nil
		}
		p.seek()
		return &yNode{kind: yString, s: utf16ToWTF8(p.quoted())}, nil
	case (p.ch >= '0' && p.ch <= '9') || p.ch == '-':
		var num []uint16
		addup := func() {
			if p.ch >= 0 {
				num = append(num, uint16(p.ch))
			}
			p.seek()
		}
		if p.ch == '-' {
			addup()
		}
		for {
			addup()
			if c := p.ch; c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+' || (c >= 'A' && c <= 'F') {
				addup()
			}
			if !isNumericUnit(p.ch) {
				break
			}
		}
		p.slice(p.at - 1)
		p.at = 0
		return &yNode{kind: yNumber, n: jsUnitsToNumber(num)}, nil
	case p.ch == 't', p.ch == 'f', p.ch == 'n':
		want := "null"
		switch p.ch {
		case 't':
			want = "true"
		case 'f':
			want = "false"
		}
		if p.word() != want {
			return p.parseError("Unexpected character"), nil
		}
		switch want {
		case "true":
			return &yNode{kind: yBool, b: true}, nil
		case "false":
			return &yNode{kind: yBool}, nil
		}
		return &yNode{kind: yNull}, nil
	}
	return p.parseError("Unexpected character"), nil
}

// propertyKey is JavaScript's ToPropertyKey of a parsed value used as an object key.
func propertyKey(n *yNode) (string, error) {
	switch n.kind {
	case yString:
		return n.s, nil
	case yNumber:
		return jsString(Number(n.n)), nil
	case yBool:
		return strconv.FormatBool(n.b), nil
	case yNull:
		return "null", nil
	case yArray:
		var b strings.Builder
		for i, e := range n.arr {
			if i > 0 {
				b.WriteByte(',')
			}
			if e.kind == yNull {
				continue
			}
			s, err := propertyKey(e)
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		}
		return b.String(), nil
	case yObject:
		if n.obj.proto != nil {
			// toString comes from the prototype chain: missing (a TypeError) or Array's join.
			return "", ErrYieldablePrototype
		}
	}
	return "[object Object]", nil
}

// value converts a parsed node to a Value.
func (p *yieldableParser) value(n *yNode) (Value, error) {
	switch n.kind {
	case yNull:
		return Null(), nil
	case yBool:
		return Bool(n.b), nil
	case yNumber:
		return Number(n.n), nil
	case yString:
		return String(n.s), nil
	case yArray:
		elems := make([]Value, len(n.arr))
		for i, e := range n.arr {
			v, err := p.value(e)
			if err != nil {
				return Value{}, err
			}
			elems[i] = v
		}
		return Array(elems...), nil
	case yParseError:
		if !p.wtf8Made {
			p.wtf8, p.wtf8Made = utf16ToWTF8(p.src), true
		}
		return Object(
			Member{Key: "name", Value: String("ParseError")},
			Member{Key: "message", Value: String(n.message)},
			Member{Key: "text", Value: String(p.wtf8[n.text:])},
		), nil
	}
	o := n.obj
	if p.refusePrototypes && o.proto != nil && inheritsKeys(o.proto) {
		return Value{}, ErrYieldablePrototype
	}
	members := make([]Member, 0, max(o.len(), 4))
	for _, prop := range o.ordered() {
		v, err := p.value(prop.Value)
		if err != nil {
			return Value{}, err
		}
		members = append(members, Member{Key: prop.Key, Value: v})
	}
	return objectValue(members), nil
}

// inheritsKeys reports whether a prototype adds keys that for-in would visit.
func inheritsKeys(proto *yNode) bool {
	switch proto.kind {
	case yArray:
		return len(proto.arr) > 0
	case yParseError:
		return true
	case yObject:
		return proto.obj.len() > 0 || (proto.obj.proto != nil && inheritsKeys(proto.obj.proto))
	}
	return false
}
