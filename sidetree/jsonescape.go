package sidetree

import "strings"

// Eight bytes at a time: a word has a byte below n when (w - n×ones) & ^w & highs is not zero (exact as
// a yes/no answer for n ≤ 128), and a byte equal to b when w ^ b×ones has a zero byte.
const (
	onesBytes = 0x0101010101010101
	highBits  = 0x8080808080808080
)

// word reads s[i:i+8] as a little-endian word (the compiler makes it one load).
func word(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// mayNeedEscape reports whether any of the eight bytes of s is one appendString must look at: a control
// character, '"', '\\' or 0xED (which starts a lone surrogate's WTF-8 form).
func mayNeedEscape(s string) bool {
	w := word(s, 0)
	return (endsPlainRun(w) | hasZeroByte(w^(onesBytes*0xED))) != 0
}

// endsPlainRun is not zero when the word has a control character, '"' or '\\': the bytes that end a
// JSON string's run of plain text, when reading it and when writing it.
func endsPlainRun(w uint64) uint64 {
	return hasByteBelow(w, 0x20) | hasZeroByte(w^(onesBytes*'"')) | hasZeroByte(w^(onesBytes*'\\'))
}

func hasByteBelow(w uint64, n uint64) uint64 { return (w - onesBytes*n) &^ w & highBits }

func hasZeroByte(w uint64) uint64 { return hasByteBelow(w, 1) }

// nextEscape returns the index of the first byte of s that JSON.stringify escapes and the length of what
// it escapes there (1, or 3 for a lone surrogate's WTF-8 form), or len(s) and 0 when s needs no escaping.
func nextEscape(s string) (int, int) {
	for i := 0; i < len(s); {
		if i+8 <= len(s) && !mayNeedEscape(s[i:i+8]) {
			i += 8 // most of a document is long runs of plain text (a long-form DID repeats its own)
			continue
		}
		switch c := s[i]; {
		case c < 0x20 || c == '"' || c == '\\':
			return i, 1
		case c == 0xED:
			if r, size := decodeWTF8(s[i:]); size == 3 && r >= 0xD800 && r <= 0xDFFF {
				return i, 3
			}
		}
		i++
	}
	return len(s), 0
}

// jsonPlain reports whether JSON.stringify writes s between its quotes as it is.
func jsonPlain(s string) bool {
	i, _ := nextEscape(s)
	return i == len(s)
}

const hexDigits = "0123456789abcdef"

// appendString quotes s as JSON.stringify does: only '"', '\\', control characters and lone surrogates are
// escaped; everything else, including '<', '>' and U+2028, is written as it is.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for {
		i, n := nextEscape(s)
		b = append(b, s[:i]...)
		if n == 0 {
			return append(b, '"')
		}
		b = appendEscaped(b, s[i:i+n])
		s = s[i+n:]
	}
}

// appendPlainString quotes s, which must be jsonPlain: a string known to need no escaping is copied
// without being scanned.
func appendPlainString(b []byte, s string) []byte {
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendEscaped writes the escape of one byte or of a lone surrogate's three bytes.
func appendEscaped(b []byte, seq string) []byte {
	if len(seq) == 3 {
		r, _ := decodeWTF8(seq)
		return append(b, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
	}
	c := seq[0]
	if i := strings.IndexByte("\"\\\b\f\n\r\t", c); i >= 0 {
		return append(b, '\\', "\"\\bfnrt"[i])
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
