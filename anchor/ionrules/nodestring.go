package ionrules

import "unicode/utf16"

// Node.js decodes hex and base64 strings one UTF-16 code unit at a time, keeping only the low byte of
// each unit (the C++ decoders cast to uint8_t), so "ı" (U+0131) reads as the hex digit "1". The lock
// identifier rules go through these decoders, and so reproduce that.

// utf16Units is a Go string as the UTF-16 code units of the JavaScript string it stands for (invalid
// UTF-8 reads as U+FFFD, as Node's UTF-8 decoder would have made it).
func utf16Units(s string) []uint16 { return utf16.Encode([]rune(s)) }

// nodeHexDecode is Buffer.from(s, 'hex'): pairs of hex digits up to the first pair that is not one.
func nodeHexDecode(units []uint16) []byte {
	out := make([]byte, 0, len(units)/2)
	for i := 0; i+1 < len(units); i += 2 {
		hi, ok1 := unhex(byte(units[i]))
		lo, ok2 := unhex(byte(units[i+1]))
		if !ok1 || !ok2 {
			break
		}
		out = append(out, hi<<4|lo)
	}
	return out
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// nodeBase64Decode is Buffer.from(s, 'base64') (Node's lenient decoder): characters of either the
// standard or the URL alphabet count, any other character is skipped, the first '=' ends the input, and
// a final group of 2 or 3 characters yields 1 or 2 bytes.
func nodeBase64Decode(units []uint16) []byte {
	out := make([]byte, 0, len(units)*3/4)
	var acc uint32
	n := 0
	for _, u := range units {
		c := byte(u)
		if c == '=' {
			break
		}
		v, ok := unbase64(c)
		if !ok {
			continue
		}
		acc = acc<<6 | uint32(v)
		n++
		if n == 4 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, n = 0, 0
		}
	}
	switch n {
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return out
}

func unbase64(c byte) (byte, bool) {
	switch {
	case 'A' <= c && c <= 'Z':
		return c - 'A', true
	case 'a' <= c && c <= 'z':
		return c - 'a' + 26, true
	case '0' <= c && c <= '9':
		return c - '0' + 52, true
	case c == '+' || c == '-':
		return 62, true
	case c == '/' || c == '_':
		return 63, true
	}
	return 0, false
}

// nodeUTF8Decode is Buffer.toString('utf8') (the WHATWG UTF-8 decoder): each maximal invalid subsequence
// becomes one U+FFFD.
func nodeUTF8Decode(b []byte) string {
	var out []rune
	var cp rune
	needed, seen := 0, 0
	lower, upper := byte(0x80), byte(0xBF)
	for i := 0; i < len(b); i++ {
		c := b[i]
		if needed == 0 {
			switch {
			case c <= 0x7F:
				out = append(out, rune(c))
			case c >= 0xC2 && c <= 0xDF:
				needed, cp = 1, rune(c&0x1F)
			case c >= 0xE0 && c <= 0xEF:
				if c == 0xE0 {
					lower = 0xA0
				} else if c == 0xED {
					upper = 0x9F
				}
				needed, cp = 2, rune(c&0x0F)
			case c >= 0xF0 && c <= 0xF4:
				if c == 0xF0 {
					lower = 0x90
				} else if c == 0xF4 {
					upper = 0x8F
				}
				needed, cp = 3, rune(c&0x07)
			default:
				out = append(out, '\uFFFD')
			}
			continue
		}
		if c < lower || c > upper {
			needed, seen, cp, lower, upper = 0, 0, 0, 0x80, 0xBF
			out = append(out, '\uFFFD')
			i-- // the byte starts over
			continue
		}
		lower, upper = 0x80, 0xBF
		cp = cp<<6 | rune(c&0x3F)
		seen++
		if seen == needed {
			out = append(out, cp)
			needed, seen, cp = 0, 0, 0
		}
	}
	if needed != 0 {
		out = append(out, '\uFFFD')
	}
	return string(out)
}
