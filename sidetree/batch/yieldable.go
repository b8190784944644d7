package batch

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ionode/ionode/sidetree"
)

// The reference does not read batch files with JSON.parse: JsonAsync.parse hands them to yieldable-json
// 1.1.0's parseAsync, a hand-written parser that accepts much that is not JSON ("[1 2]" is [12],
// "{\"a\":tru}" holds a ParseError object, "{}x" is {}, "1e-5" breaks, "\u005cn" is a newline) and treats
// "__proto__" as JavaScript assignment does. A file the two parsers read differently is a batch ION nodes
// judge differently from a JSON.parse reader, so this file ports that parser step by step. Valid JSON
// without the few constructs where they differ takes sidetree.ParseJSON's fast path.

// Limits of our own, each beyond what any batch file the reference accepts can make matter:
const (
	// maxJSDepth: V8 overflows its stack a little above 3,000 levels of yieldable-json nesting (Node 20),
	// crashing the reference node; deeper input is refused here.
	maxJSDepth = 3000
	// maxObjectKeys: an object keeps its first keys in JavaScript order. An object with more keys fails
	// every property check of the five files and is over the delta size limit inside a delta; only in
	// content the reference ignores could more keys exist, and there they are not read.
	maxObjectKeys = 256
	// maxErrorText: a nested ParseError carries the rest of the file as its text. Longer than any delta may
	// be, a text only counts by its length, so longer ones share one string of this length.
	maxErrorText = 2048
)

// errNotJS is wrapped by every failure of the yieldable-json reading.
var errNotJS = errors.New("not accepted by the reference's JSON reader")

// errPrototype: "__proto__" set an object's prototype to an object with properties, which JavaScript would
// then show through for-in and property reads but not through JSON.stringify or Object.keys; a
// sidetree.Value cannot hold that, so such a file is refused (no honest writer produces one).
var errPrototype = errors.New("a __proto__ property gives an object inherited properties")

// parseJS reads bytes as the reference's JsonAsync.parse does.
func parseJS(data []byte) (sidetree.Value, error) {
	if utf8.Valid(data) && !hasDivergentBytes(data) {
		if v, err := sidetree.ParseJSON(data); err == nil && sameInYieldable(v) {
			return v, nil
		}
	}
	p := &yjParser{src: decodeUTF8(data)}
	p.ch = ' '
	top, err := p.parse(0)
	if err != nil {
		return sidetree.Value{}, err
	}
	if top.kind == jsParseError {
		return sidetree.Value{}, errors.Join(errNotJS, errors.New(top.message))
	}
	rest := p.src[p.base:]
	if len(rest) > 0 && (rest[0] == '}' || rest[0] == ']') {
		rest = rest[1:]
	}
	if len(trimJS(rest)) != 0 {
		return sidetree.Value{}, errors.Join(errNotJS, errors.New("unexpected character after the value"))
	}
	return p.value(top)
}

// hasDivergentBytes reports the two constructs of valid JSON that yieldable-json reads differently, even
// where JSON.parse would let a later duplicate key hide them: a \u escape of a backslash (decoded twice)
// and a signed exponent (its number reading stops at the sign). It looks at raw bytes, strings included,
// so it may send harmless input to the slow path, never the reverse.
func hasDivergentBytes(data []byte) bool {
	for i := 0; i+1 < len(data); i++ {
		switch data[i] {
		case 'e', 'E':
			if data[i+1] == '+' || data[i+1] == '-' {
				return true
			}
		case '\\':
			if i+5 < len(data) && data[i+1] == 'u' && data[i+2] == '0' && data[i+3] == '0' && data[i+4] == '5' && (data[i+5] == 'c' || data[i+5] == 'C') {
				return true
			}
		}
	}
	return false
}

// sameInYieldable reports whether yieldable-json reads the JSON value v as JSON.parse did, once
// hasDivergentBytes found nothing: it does unless a "__proto__" key is left.
func sameInYieldable(v sidetree.Value) bool {
	switch v.Kind() {
	case sidetree.KindArray:
		for _, e := range v.Elems() {
			if !sameInYieldable(e) {
				return false
			}
		}
	case sidetree.KindObject:
		for _, m := range v.Members() {
			if m.Key == "__proto__" || !sameInYieldable(m.Value) {
				return false
			}
		}
	}
	return true
}

type jsKind uint8

const (
	jsNull jsKind = iota
	jsBool
	jsNumber
	jsString
	jsArray
	jsObject
	jsParseError // yieldable-json's ParseError: an object {name, message, text}
)

type jsNode struct {
	kind    jsKind
	b       bool
	n       float64
	s       []uint16
	arr     []*jsNode
	obj     *jsObj
	message string // ParseError
	text    int    // ParseError: where the rest of the input began
}

type jsObj struct {
	keys  []string
	vals  []*jsNode
	index map[string]int
	proto *jsNode // set by a "__proto__" assignment; a null node for null
}

func (o *jsObj) set(key string, v *jsNode) {
	if key == "__proto__" {
		// Object.prototype's __proto__ setter: objects and null become the prototype, the rest is ignored.
		if v.kind == jsNull || v.kind == jsArray || v.kind == jsObject || v.kind == jsParseError {
			o.proto = v
		}
		return
	}
	if o.index == nil {
		o.index = map[string]int{}
	}
	if i, ok := o.index[key]; ok {
		o.vals[i] = v
		return
	}
	o.index[key] = len(o.keys)
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
}

// yjParser holds the reference parser's closure state: parseStr is src[base:], at is relative to it, and
// ch is the current character (-1 for the empty string JavaScript's charAt returns past the end).
type yjParser struct {
	src  []uint16
	base int
	at   int
	ch   int
	keyN int
}

func (p *yjParser) charAt(i int) int {
	if i < 0 || p.base+i >= len(p.src) {
		return -1
	}
	return int(p.src[p.base+i])
}

// slice is parseStr = parseStr.slice(k).
func (p *yjParser) slice(k int) {
	n := len(p.src) - p.base
	if k < 0 {
		k = max(n+k, 0)
	}
	p.base += min(k, n)
}

func (p *yjParser) seek() int {
	for {
		p.ch = p.charAt(p.at)
		p.at++
		if !(p.ch >= 0 && p.ch <= ' ') {
			return p.ch
		}
	}
}

func (p *yjParser) unseek() {
	p.at--
	p.ch = p.charAt(p.at)
}

func (p *yjParser) parseError(message string) *jsNode {
	return &jsNode{kind: jsParseError, message: message, text: p.base}
}

func isLetter(c int) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func (p *yjParser) wordCheck() string {
	var word []byte
	for {
		if p.ch >= 0 {
			if p.ch < utf8.RuneSelf {
				word = append(word, byte(p.ch))
			} else {
				word = append(word, 0xFF) // never part of a literal
			}
		}
		p.seek()
		if !isLetter(p.ch) {
			break
		}
	}
	p.slice(p.at - 1)
	p.at = 0
	return string(word)
}

// normalizeUnicodedString is the reference's string reading: find the closing quote (one not preceded by
// an odd run of backslashes), then decode escapes left to right, stopping at an unknown one.
func (p *yjParser) normalizeUnicodedString() []uint16 {
	var inQuotes []uint16
	temp := p.at
	for {
		index := -1
		for j := temp + 1; p.base+j < len(p.src); j++ {
			if j >= 0 && p.src[p.base+j] == '"' {
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
	inQuotes = unescape(inQuotes)
	p.at = 0
	return inQuotes
}

// unescape decodes escapes as the reference does, in one pass: a \u escape's character is looked at again
// (so an escaped backslash starts a new escape), a simple escape's is not, and an unknown escape ends the
// decoding, leaving the rest as it is. A \u escape always takes six characters, hex digits or not.
func unescape(s []uint16) []uint16 {
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
			for i := 0; i < 4; i++ {
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
		if e, ok := escapee(ch); ok {
			s[w] = e
			w, r = w+1, r+2
			continue
		}
		w += copy(s[w:], s[r:])
		break
	}
	return s[:w]
}

func escapee(c int) (uint16, bool) {
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

// isFiniteChar is isFinite(ch) for a one-character string: digits, and white space (Number() of which
// is 0).
func isFiniteChar(c int) bool {
	return (c >= '0' && c <= '9') || (c >= 0 && isJSSpace(uint16(c)))
}

// parse is parseYield.
func (p *yjParser) parse(depth int) (*jsNode, error) {
	if depth > maxJSDepth {
		return nil, errors.Join(errNotJS, errors.New("nesting too deep"))
	}
	if p.charAt(0) == '[' && p.charAt(1) == ']' {
		p.base = len(p.src)
		return &jsNode{kind: jsArray}, nil
	}
	if p.charAt(0) == '{' && p.charAt(1) == '}' {
		p.base = len(p.src)
		return &jsNode{kind: jsObject, obj: &jsObj{}}, nil
	}
	if p.keyN != 1 {
		p.seek()
	}
	switch {
	case p.ch == '{':
		obj := &jsObj{}
		p.seek()
		if p.ch == '}' {
			p.slice(p.at)
			p.at = 0
			return &jsNode{kind: jsObject, obj: obj}, nil
		}
		for {
			if p.ch != '"' {
				p.seek()
			}
			p.keyN = 1
			key, err := p.parse(depth + 1)
			if err != nil {
				return nil, err
			}
			p.keyN = 0
			p.seek()
			val, err := p.parse(depth + 1)
			if err != nil {
				return nil, err
			}
			k, err := p.propertyKey(key)
			if err != nil {
				return nil, err
			}
			obj.set(k, val)
			p.seek()
			if p.ch == '}' {
				p.slice(p.at)
				p.at = 0
				return &jsNode{kind: jsObject, obj: obj}, nil
			}
			if p.ch != ',' {
				return p.parseError("Bad object"), nil
			}
		}
	case p.ch == '[':
		arr := &jsNode{kind: jsArray}
		p.seek()
		if p.ch == ']' {
			p.slice(p.at)
			p.at = 0
			return arr, nil
		}
		p.unseek()
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
			return &jsNode{kind: jsString}, nil
		}
		p.seek()
		return &jsNode{kind: jsString, s: p.normalizeUnicodedString()}, nil
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
			if p.ch == '.' || p.ch == 'e' || p.ch == 'E' || p.ch == '-' || p.ch == '+' || (p.ch >= 'A' && p.ch <= 'F') {
				addup()
			}
			if !(isFiniteChar(p.ch) && p.ch >= 0) {
				break
			}
		}
		p.slice(p.at - 1)
		p.at = 0
		return &jsNode{kind: jsNumber, n: jsToNumber(num)}, nil
	case p.ch == 't':
		if p.wordCheck() == "true" {
			return &jsNode{kind: jsBool, b: true}, nil
		}
		return p.parseError("Unexpected character"), nil
	case p.ch == 'f':
		if p.wordCheck() == "false" {
			return &jsNode{kind: jsBool}, nil
		}
		return p.parseError("Unexpected character"), nil
	case p.ch == 'n':
		if p.wordCheck() == "null" {
			return &jsNode{kind: jsNull}, nil
		}
		return p.parseError("Unexpected character"), nil
	}
	return p.parseError("Unexpected character"), nil
}

// propertyKey is JavaScript's ToPropertyKey of a parsed value used as an object key.
func (p *yjParser) propertyKey(n *jsNode) (string, error) {
	switch n.kind {
	case jsString:
		return wtf8(n.s), nil
	case jsNumber:
		return jsNumberString(n.n), nil
	case jsBool:
		return strconv.FormatBool(n.b), nil
	case jsNull:
		return "null", nil
	case jsArray:
		parts := make([]string, len(n.arr))
		for i, e := range n.arr {
			if e.kind == jsNull {
				continue
			}
			s, err := p.propertyKey(e)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	case jsObject:
		if n.obj.proto != nil {
			// toString comes from the prototype chain: missing (a TypeError) or Array's join.
			return "", errPrototype
		}
	}
	return "[object Object]", nil
}

// value converts a parsed node to a sidetree.Value.
func (p *yjParser) value(n *jsNode) (sidetree.Value, error) {
	switch n.kind {
	case jsNull:
		return sidetree.Null(), nil
	case jsBool:
		return sidetree.Bool(n.b), nil
	case jsNumber:
		return sidetree.Number(n.n), nil
	case jsString:
		return sidetree.String(wtf8(n.s)), nil
	case jsArray:
		elems := make([]sidetree.Value, len(n.arr))
		for i, e := range n.arr {
			v, err := p.value(e)
			if err != nil {
				return sidetree.Value{}, err
			}
			elems[i] = v
		}
		return sidetree.Array(elems...), nil
	case jsParseError:
		return sidetree.Object(
			sidetree.Member{Key: "name", Value: sidetree.String("ParseError")},
			sidetree.Member{Key: "message", Value: sidetree.String(n.message)},
			sidetree.Member{Key: "text", Value: sidetree.String(p.errorText(n.text))},
		), nil
	}
	o := n.obj
	if o.proto != nil && inheritsKeys(o.proto) {
		return sidetree.Value{}, errPrototype
	}
	order := make([]int, len(o.keys))
	for i := range order {
		order[i] = i
	}
	// JavaScript lists array-index keys first, ascending, then the others in insertion order.
	sort.SliceStable(order, func(a, b int) bool {
		ia, aIdx := arrayIndex(o.keys[order[a]])
		ib, bIdx := arrayIndex(o.keys[order[b]])
		if aIdx && bIdx {
			return ia < ib
		}
		return aIdx && !bIdx
	})
	if len(order) > maxObjectKeys {
		order = order[:maxObjectKeys]
	}
	members := make([]sidetree.Member, len(order))
	for i, k := range order {
		v, err := p.value(o.vals[k])
		if err != nil {
			return sidetree.Value{}, err
		}
		members[i] = sidetree.Member{Key: o.keys[k], Value: v}
	}
	return sidetree.Object(members...), nil
}

// inheritsKeys reports whether a prototype adds keys that for-in would visit.
func inheritsKeys(proto *jsNode) bool {
	switch proto.kind {
	case jsArray:
		return len(proto.arr) > 0
	case jsParseError:
		return true
	case jsObject:
		return len(proto.obj.keys) > 0 || (proto.obj.proto != nil && inheritsKeys(proto.obj.proto))
	}
	return false
}

var longErrorText = strings.Repeat(" ", maxErrorText)

func (p *yjParser) errorText(from int) string {
	if len(p.src)-from > maxErrorText {
		return longErrorText
	}
	return wtf8(p.src[from:])
}

// arrayIndex reports whether key is a canonical array index (0 … 2^32-2).
func arrayIndex(key string) (uint32, bool) {
	if key == "" || len(key) > 10 || (len(key) > 1 && key[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(key, 10, 32)
	if err != nil || n == 1<<32-1 {
		return 0, false
	}
	return uint32(n), true
}
