package sidetree

import (
	"bytes"
	"unicode/utf8"
)

// IsStringifyForm reports whether text, which JSON.parse reads as v, is already v's JSON.stringify form,
// so that a caller can keep text instead of writing v out again (a batch's deltas are most of its bytes).
// It is conservative: it says yes only for text without white space or escapes, whose numbers are
// integers of at most 15 digits (printed back as they are), whose keys do not start with a digit (JavaScript
// moves array-index keys first) and appear once per object (v has as many members as text has keys).
// Anything else is written out as usual.
func IsStringifyForm(text []byte, v Value) bool {
	keys, ok := stringifyFormKeys(text)
	return ok && keys == memberCount(v)
}

// stringifyFormKeys scans text for anything JSON.stringify would write differently and counts its keys.
func stringifyFormKeys(text []byte) (keys int, ok bool) {
	for i := 0; i < len(text); {
		switch c := text[i]; {
		case c == '"':
			end := bytes.IndexByte(text[i+1:], '"')
			if end < 0 {
				return 0, false
			}
			s := text[i+1 : i+1+end]
			if bytes.IndexByte(s, '\\') >= 0 || !utf8.Valid(s) {
				return 0, false
			}
			i += end + 2
			if i < len(text) && text[i] == ':' {
				if len(s) > 0 && s[0] >= '0' && s[0] <= '9' {
					return 0, false
				}
				keys++
			}
		case c == '-' || c >= '0' && c <= '9':
			j := i
			if c == '-' {
				j++
			}
			start := j
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				j++
			}
			digits := text[start:j]
			// JSON.stringify prints an integer below 1e15 digit for digit, but -0 as 0.
			if len(digits) == 0 || len(digits) > 15 || digits[0] == '0' && (len(digits) > 1 || c == '-') {
				return 0, false
			}
			if j < len(text) && (text[j] == '.' || text[j] == 'e' || text[j] == 'E') {
				return 0, false
			}
			i = j
		case c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':' || c >= 'a' && c <= 'z':
			i++ // structure, and the letters of true, false and null
		default:
			return 0, false
		}
	}
	return keys, true
}

// memberCount is the number of members of all of v's objects.
func memberCount(v Value) int {
	n := len(v.members())
	for _, m := range v.members() {
		n += memberCount(m.Value)
	}
	for _, e := range v.arr() {
		n += memberCount(e)
	}
	return n
}
