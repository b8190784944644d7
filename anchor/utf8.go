package anchor

import (
	"strings"
	"unicode/utf8"
)

// decodeUTF8LikeNode decodes bytes as Node's Buffer.toString() (the WHATWG UTF-8 decoder): each maximal
// subpart of an ill-formed sequence becomes one U+FFFD. Go's own conversion replaces byte by byte, which
// would give a different anchor string for the same transaction.
func decodeUTF8LikeNode(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			sb.WriteByte(c)
			i++
			continue
		}
		need, lower, upper := 0, byte(0x80), byte(0xbf)
		switch {
		case c >= 0xc2 && c <= 0xdf:
			need = 1
		case c >= 0xe0 && c <= 0xef:
			need = 2
			if c == 0xe0 {
				lower = 0xa0
			} else if c == 0xed {
				upper = 0x9f
			}
		case c >= 0xf0 && c <= 0xf4:
			need = 3
			if c == 0xf0 {
				lower = 0x90
			} else if c == 0xf4 {
				upper = 0x8f
			}
		default:
			sb.WriteRune(utf8.RuneError)
			i++
			continue
		}
		j := i + 1
		valid := true
		for k := 0; k < need; k++ {
			if j >= len(b) || b[j] < lower || b[j] > upper {
				valid = false
				break
			}
			lower, upper = 0x80, 0xbf
			j++
		}
		if valid {
			sb.Write(b[i:j])
		} else {
			// The maximal subpart b[i:j] (lead byte and the continuation bytes accepted so far) is one
			// error; decoding resumes at the byte that broke it.
			sb.WriteRune(utf8.RuneError)
		}
		i = j
	}
	return sb.String()
}
