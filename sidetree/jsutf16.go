package sidetree

import (
	"math"
	"math/big"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Helpers that give JavaScript's answers for strings: the reference reads input as JavaScript strings
// (UTF-16 code units, decoded from UTF-8 by Node's Buffer.toString), and its yieldable-json reader works on
// them one code unit at a time.

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

// utf16ToWTF8 turns code units into the Go string a Value holds: UTF-8, with surrogate pairs joined and
// lone surrogates kept in their three-byte form.
func utf16ToWTF8(units []uint16) string {
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
		c := rune(units[i])
		if isHighSurrogate(units[i]) && i+1 < len(units) && isLowSurrogate(units[i+1]) {
			b = utf8.AppendRune(b, utf16.DecodeRune(c, rune(units[i+1])))
			i++
			continue
		}
		b = appendWTF8(b, c)
	}
	return string(b)
}

func isHighSurrogate(u uint16) bool { return u >= 0xD800 && u < 0xDC00 }
func isLowSurrogate(u uint16) bool  { return u >= 0xDC00 && u <= 0xDFFF }

// isJSWhiteSpace reports what String.prototype.trim and Number() strip: WhiteSpace and LineTerminator.
func isJSWhiteSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

func trimJSUnits(s []uint16) []uint16 {
	for len(s) > 0 && isJSWhiteSpace(rune(s[0])) {
		s = s[1:]
	}
	for len(s) > 0 && isJSWhiteSpace(rune(s[len(s)-1])) {
		s = s[:len(s)-1]
	}
	return s
}

// jsUnitsToNumber is JavaScript's Number(string). Its cost is linear in the string: strconv reads at most
// a fixed number of significant digits, and big.Int's base conversion only runs for 0x/0o/0b literals.
func jsUnitsToNumber(units []uint16) float64 {
	s := trimJSUnits(units)
	if len(s) == 0 {
		return 0
	}
	for _, u := range s {
		if u >= utf8.RuneSelf {
			return math.NaN()
		}
	}
	str := utf16ToWTF8(s)
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
	return f // ±Inf or ±0 when out of range, as JavaScript rounds
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

// NodeUTF8String is Buffer.toString('utf8') as a Go string: valid UTF-8 as it is, and otherwise each
// maximal invalid subpart replaced by one U+FFFD (Go's own conversion replaces byte by byte, which would
// read the same bytes differently from the reference).
func NodeUTF8String(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return utf16ToWTF8(decodeUTF8AsNode(b))
}
