package sidetree

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"unicode/utf16"
)

// The reference does not parse everything with JSON.parse: RequestHandler (the whole POST body, before
// anything else) and every signed data payload go through yieldable-json 1.1.0 (util/JsonAsync.ts), a
// hand-written parser that rejects some JSON (any number with a signed exponent, which JSON.stringify
// writes for every number of at least 1e21 or below 1e-6) and accepts much that is not JSON (one extra
// closing bracket, digits split by spaces, raw control characters, unknown escapes, non-string keys,
// syntax errors nested as {name, message, text} objects). What a payload means must be what it means to
// the reference, so this is a transcription of its parser (yieldable-parser.js), quirks included, over
// UTF-16 code units as JavaScript sees them. One thing is approximated: a "__proto__" key whose value is an
// object sets the object's prototype there; here the key is dropped (its inherited properties are not seen).

// errYieldable is wrapped by every parse failure (the reference's callback gets a ParseError).
var errYieldable = errors.New("yieldable-json cannot parse the input")

// maxYieldableDepth stands for JavaScript's stack limit: deeper input fails (in Node a RangeError).
const maxYieldableDepth = 5000

// ParseYieldableJSON parses data (after Buffer.toString()) as yieldable-json's parseAsync does, for the
// places the reference parses with it (see above): the POST body, signed data payloads and batch files.
func ParseYieldableJSON(data []byte) (Value, error) {
	p := &yieldableParser{s: decodeUTF8AsNode(data), ch: ' '}
	v, failed := p.parse(0)
	if failed || p.tooDeep {
		return Value{}, &Error{Code: CodeInvalidJSON, Message: "input is not JSON to the reference's parser", Err: errYieldable}
	}
	// isEmpty: what is left may start with one '}' or ']', then only white space.
	rest := p.s
	if len(rest) > 0 && (rest[0] == '}' || rest[0] == ']') {
		rest = rest[1:]
	}
	for _, c := range rest {
		if !isJSWhiteSpace(rune(c)) {
			return Value{}, &Error{Code: CodeInvalidJSON, Message: "input is not JSON to the reference's parser", Err: errYieldable}
		}
	}
	return v, nil
}

type yieldableParser struct {
	s       []uint16 // parseStr: the parser keeps slicing off what it has read
	at      int
	ch      int // the current code unit; -1 is JavaScript's '' (past the end)
	keyN    bool
	tooDeep bool
	errFrom []uint16 // the unread text parseError last converted, and its conversion
	errText string
}

func (p *yieldableParser) charAt(i int) int {
	if i < 0 || i >= len(p.s) {
		return -1
	}
	return int(p.s[i])
}

// slice is String.prototype.slice with one argument.
func (p *yieldableParser) slice(i int) {
	if i < 0 {
		i = max(len(p.s)+i, 0)
	}
	p.s = p.s[min(i, len(p.s)):]
}

// seek moves to the next character, skipping every code unit up to ' ' (not only JSON's white space).
func (p *yieldableParser) seek() {
	for {
		p.ch = p.charAt(p.at)
		p.at++
		if p.ch == -1 || p.ch > ' ' {
			return
		}
	}
}

func (p *yieldableParser) parseError(message string) Value {
	// Every level of a failing nested input reports the same unread text: converting it once keeps a
	// deeply nested 64 KiB body from costing seconds (depth × length).
	if len(p.s) != len(p.errFrom) || (len(p.s) > 0 && &p.s[0] != &p.errFrom[0]) || p.errFrom == nil {
		p.errFrom, p.errText = p.s, utf16ToWTF8(p.s)
		if p.errFrom == nil {
			p.errFrom = []uint16{}
		}
	}
	return Object(Member{"name", String("ParseError")}, Member{"message", String(message)}, Member{"text", String(p.errText)})
}

// parse is parseYield. failed reports a ParseError returned (not thrown) by this level: nested, the
// caller stores it as a value; at the top it fails the parse.
func (p *yieldableParser) parse(depth int) (v Value, failed bool) {
	if depth > maxYieldableDepth {
		p.tooDeep = true
		return Null(), true
	}
	if p.charAt(0) == '[' && p.charAt(1) == ']' {
		p.s = nil
		return Array(), false
	}
	if p.charAt(0) == '{' && p.charAt(1) == '}' {
		p.s = nil
		return Object(), false
	}
	if !p.keyN {
		p.seek()
	}
	switch {
	case p.ch == '{':
		obj := Object()
		p.seek()
		if p.ch == '}' {
			p.slice(p.at)
			p.at = 0
			return obj, false
		}
		for {
			if p.ch != '"' {
				p.seek()
			}
			p.keyN = true
			key, _ := p.parse(depth + 1)
			p.keyN = false
			p.seek()
			val, _ := p.parse(depth + 1)
			setYieldableProperty(&obj, jsPropertyKey(key), val)
			p.seek()
			if p.ch == '}' {
				p.slice(p.at)
				p.at = 0
				return obj, false
			}
			if p.ch != ',' || p.tooDeep {
				return p.parseError("Bad object"), true
			}
		}
	case p.ch == '[':
		var elems []Value
		p.seek()
		if p.ch == ']' {
			p.slice(p.at)
			p.at = 0
			return Array(), false
		}
		p.at-- // unseek
		p.ch = p.charAt(p.at)
		for {
			v, _ := p.parse(depth + 1)
			elems = append(elems, v)
			p.seek()
			if p.ch == ']' {
				p.slice(p.at)
				p.at = 0
				return Array(elems...), false
			}
			if p.ch != ',' || p.tooDeep {
				return p.parseError("Bad array"), true
			}
		}
	case p.ch == '"':
		p.slice(p.at - 1)
		p.at = 0
		if p.charAt(0) == '"' && p.charAt(1) == '"' {
			p.slice(2)
			p.at = 0
			return String(""), false
		}
		p.seek()
		return String(utf16ToWTF8(p.quoted())), false
	case p.ch >= '0' && p.ch <= '9' || p.ch == '-':
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
			if c := p.ch; c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+' || c >= 'A' && c <= 'F' {
				addup()
			}
			if p.ch == -1 || !isJSNumericChar(p.ch) {
				break
			}
		}
		n := jsStringToNumber(num)
		p.slice(p.at - 1)
		p.at = 0
		return Number(n), false
	case p.ch == 't', p.ch == 'f', p.ch == 'n':
		want := map[int]string{'t': "true", 'f': "false", 'n': "null"}[p.ch]
		word := p.word()
		if word != want {
			return p.parseError("Unexpected character"), true
		}
		switch word {
		case "true":
			return Bool(true), false
		case "false":
			return Bool(false), false
		}
		return Null(), false
	}
	return p.parseError("Unexpected character"), true
}

// word is wordCheck: letters (seek skips spaces between them) up to the first non-letter.
func (p *yieldableParser) word() string {
	var w []uint16
	for {
		if p.ch >= 0 {
			w = append(w, uint16(p.ch))
		}
		p.seek()
		if !(p.ch >= 'a' && p.ch <= 'z' || p.ch >= 'A' && p.ch <= 'Z') {
			break
		}
	}
	p.slice(p.at - 1)
	p.at = 0
	return string(utf16.Decode(w))
}

// quoted is normalizeUnicodedString: the text up to the first '"' preceded by an even number of
// backslashes, with escapes replaced one after the other until one is not known.
func (p *yieldableParser) quoted() []uint16 {
	var inQuotes []uint16
	tempIndex := p.at
	for {
		index := indexOfUnit(p.s, '"', tempIndex+1)
		tempIndex = index
		slash := 0
		c := p.charAt(tempIndex - 1)
		for c == '\\' {
			slash++
			c = p.charAt(tempIndex - (slash + 1))
		}
		if slash%2 == 0 {
			inQuotes = jsSubstring(p.s, p.at, index)
			index++
			p.slice(index)
			break
		}
	}
	escapes := map[uint16]uint16{'"': '"', '\'': '\'', '/': '/', '\\': '\\', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}
	at := func(i int) int {
		if i < 0 || i >= len(inQuotes) {
			return -1
		}
		return int(inQuotes[i])
	}
	index := indexOfUnit(inQuotes, '\\', 0)
	for index >= 0 {
		next := index + 1
		c := at(next)
		if c == 'u' {
			var code uint16
			for range 4 {
				next++
				h := hexValue(at(next))
				if h < 0 {
					break
				}
				code = code*16 + uint16(h)
			}
			inQuotes = spliceUnits(inQuotes, index, index+6, code)
			next = index
		} else if r, ok := escapes[uint16(c)]; ok && c >= 0 {
			inQuotes = spliceUnits(inQuotes, index, index+2, r)
			next = index + 1
		} else {
			break
		}
		index = indexOfUnit(inQuotes, '\\', next)
	}
	p.at = 0
	return inQuotes
}

// spliceUnits is s.slice(0, from) + String.fromCharCode(c) + s.slice(to).
func spliceUnits(s []uint16, from, to int, c uint16) []uint16 {
	out := make([]uint16, 0, len(s))
	out = append(out, s[:from]...)
	out = append(out, c)
	if to < len(s) {
		out = append(out, s[to:]...)
	}
	return out
}

// jsSubstring is String.prototype.substring: bounds clamped to the string, swapped when reversed.
func jsSubstring(s []uint16, start, end int) []uint16 {
	start, end = min(max(start, 0), len(s)), min(max(end, 0), len(s))
	if start > end {
		start, end = end, start
	}
	return append([]uint16(nil), s[start:end]...)
}

func indexOfUnit(s []uint16, c uint16, from int) int {
	for i := max(from, 0); i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
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

// setYieldableProperty is `obj[key] = value`: assigning "__proto__" never makes a property.
func setYieldableProperty(obj *Value, key string, v Value) {
	if key == "__proto__" {
		return
	}
	obj.Set(key, v)
}

// jsPropertyKey is the property name a value becomes as a key: String(v).
func jsPropertyKey(v Value) string {
	return jsString(v)
}

// isJSNumericChar is isFinite(c) for a one-character string: digits, and white space (Number(" ") is 0).
func isJSNumericChar(c int) bool {
	return c >= '0' && c <= '9' || isJSWhiteSpace(rune(c))
}

// isJSWhiteSpace reports what String.prototype.trim removes: WhiteSpace and LineTerminator.
func isJSWhiteSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

var jsDecimal = regexp.MustCompile(`^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// jsStringToNumber is Number(s) for the strings the parser collects (no hex digits survive without an x).
func jsStringToNumber(units []uint16) float64 {
	start, end := 0, len(units)
	for start < end && isJSWhiteSpace(rune(units[start])) {
		start++
	}
	for end > start && isJSWhiteSpace(rune(units[end-1])) {
		end--
	}
	if start == end {
		return 0
	}
	s := make([]byte, 0, end-start)
	for _, c := range units[start:end] {
		if c >= 0x80 {
			return math.NaN()
		}
		s = append(s, byte(c))
	}
	if !jsDecimal.Match(s) {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(string(s), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return math.NaN()
	}
	return f // ±Inf or ±0 when out of range, as JavaScript rounds
}

// utf16ToWTF8 turns code units into our string form: pairs become their code point, a lone surrogate
// keeps its three-byte form.
func utf16ToWTF8(units []uint16) string {
	b := make([]byte, 0, len(units))
	for i := 0; i < len(units); i++ {
		c := rune(units[i])
		if utf16.IsSurrogate(c) && c < 0xDC00 && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF {
			b = appendWTF8(b, utf16.DecodeRune(c, rune(units[i+1])))
			i++
			continue
		}
		b = appendWTF8(b, c)
	}
	return string(b)
}

// decodeUTF8AsNode is Buffer.toString('utf8') as code units: each maximal invalid subpart becomes U+FFFD
// (the WHATWG decoder), surrogate code points included.
func decodeUTF8AsNode(b []byte) []uint16 {
	out := make([]uint16, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			out = append(out, uint16(c))
			i++
			continue
		}
		var need int
		var r rune
		lower, upper := byte(0x80), byte(0xBF)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			need, r = 1, rune(c&0x1F)
		case c >= 0xE0 && c <= 0xEF:
			need, r = 2, rune(c&0x0F)
			if c == 0xE0 {
				lower = 0xA0
			} else if c == 0xED {
				upper = 0x9F
			}
		case c >= 0xF0 && c <= 0xF4:
			need, r = 3, rune(c&0x07)
			if c == 0xF0 {
				lower = 0x90
			} else if c == 0xF4 {
				upper = 0x8F
			}
		default:
			out = append(out, 0xFFFD)
			i++
			continue
		}
		j := i + 1
		ok := true
		for k := 0; k < need; k++ {
			if j >= len(b) || b[j] < lower || b[j] > upper {
				ok = false
				break
			}
			r = r<<6 | rune(b[j]&0x3F)
			lower, upper = 0x80, 0xBF
			j++
		}
		if !ok {
			out = append(out, 0xFFFD)
			i = j
			continue
		}
		out = utf16.AppendRune(out, r)
		i = j
	}
	return out
}
