package batch

import (
	"math"
	"math/big"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ionode/ionode/sidetree"
)

// Helpers that give JavaScript's answers for strings: the reference reads files as JavaScript strings
// (UTF-16 code units, decoded from UTF-8 by Node's Buffer.toString), and its JSON reader works on them
// one code unit at a time.

// decodeUTF8 decodes bytes as Node's Buffer.toString('utf8') does (the WHATWG decoder): each maximal
// invalid subsequence becomes one U+FFFD, so a truncated sequence costs one replacement, not one per byte.
func decodeUTF8(b []byte) []uint16 {
	out := make([]uint16, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			out = append(out, uint16(c))
			i++
			continue
		}
		need, lower, upper, cp := 0, byte(0x80), byte(0xBF), rune(0)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			need, cp = 1, rune(c&0x1F)
		case c >= 0xE0 && c <= 0xEF:
			need, cp = 2, rune(c&0x0F)
			if c == 0xE0 {
				lower = 0xA0
			} else if c == 0xED {
				upper = 0x9F
			}
		case c >= 0xF0 && c <= 0xF4:
			need, cp = 3, rune(c&0x07)
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
			cp = cp<<6 | rune(b[j]&0x3F)
			lower, upper = 0x80, 0xBF
			j++
		}
		if !ok {
			out = append(out, 0xFFFD) // the bytes read so far are the maximal subpart
			i = j
			continue
		}
		out = utf16.AppendRune(out, cp)
		i = j
	}
	return out
}

// wtf8 turns code units into the Go string sidetree.Value holds: UTF-8, with surrogate pairs joined
// and lone surrogates kept in their three-byte form.
func wtf8(units []uint16) string {
	ascii := true
	for _, u := range units {
		if u >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		b := make([]byte, len(units))
		for i, u := range units {
			b[i] = byte(u)
		}
		return string(b)
	}
	b := make([]byte, 0, len(units)+8)
	for i := 0; i < len(units); i++ {
		u := units[i]
		if utf16.IsSurrogate(rune(u)) && u < 0xDC00 && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF {
			b = utf8.AppendRune(b, utf16.DecodeRune(rune(u), rune(units[i+1])))
			i++
			continue
		}
		if utf16.IsSurrogate(rune(u)) {
			b = append(b, 0xED, byte(0x80|(u>>6)&0x3F), byte(0x80|u&0x3F))
			continue
		}
		b = utf8.AppendRune(b, rune(u))
	}
	return string(b)
}

// isJSSpace reports whether a code unit is JavaScript white space or a line terminator (what
// String.prototype.trim and Number() strip).
func isJSSpace(u uint16) bool {
	switch u {
	case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return u >= 0x2000 && u <= 0x200A
}

func trimJS(s []uint16) []uint16 {
	for len(s) > 0 && isJSSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isJSSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// jsToNumber is JavaScript's Number(string).
func jsToNumber(units []uint16) float64 {
	s := trimJS(units)
	if len(s) == 0 {
		return 0
	}
	for _, u := range s {
		if u >= utf8.RuneSelf {
			return math.NaN()
		}
	}
	str := wtf8(s)
	if len(str) > 2 && str[0] == '0' {
		base := 0
		switch str[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			n, ok := new(big.Int).SetString(str[2:], base)
			if !ok || n.Sign() < 0 || str[2] == '+' || str[2] == '-' {
				return math.NaN()
			}
			f, _ := new(big.Float).SetInt(n).Float64()
			return f
		}
	}
	body := str
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	if body == "Infinity" {
		if str[0] == '-' {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	if !isDecimalLiteral(body) {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(str, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return math.NaN()
		}
	}
	return f
}

// isDecimalLiteral matches StrUnsignedDecimalLiteral without Infinity: digits with an optional fraction
// (at least one digit in all) and an optional exponent.
func isDecimalLiteral(s string) bool {
	i, digits := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// jsNumberString is String(n).
func jsNumberString(n float64) string {
	switch {
	case math.IsNaN(n):
		return "NaN"
	case math.IsInf(n, 1):
		return "Infinity"
	case math.IsInf(n, -1):
		return "-Infinity"
	}
	return string(sidetree.Number(n).Stringify())
}
