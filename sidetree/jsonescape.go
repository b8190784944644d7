package sidetree

// Eight bytes at a time: a word has a byte below n when (w - n×ones) & ^w & highs is not zero (exact as
// a yes/no answer for n ≤ 128), and a byte equal to b when w ^ b×ones has a zero byte.
const (
	onesBytes = 0x0101010101010101
	highBits  = 0x8080808080808080
)

// mayNeedEscape reports whether any of the eight bytes of s is one appendString must look at: a control
// character, '"', '\\' or 0xED (which starts a lone surrogate's WTF-8 form).
func mayNeedEscape(s string) bool {
	w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	return (hasByteBelow(w, 0x20) | hasZeroByte(w^(onesBytes*'"')) | hasZeroByte(w^(onesBytes*'\\')) | hasZeroByte(w^(onesBytes*0xED))) != 0
}

func hasByteBelow(w uint64, n uint64) uint64 { return (w - onesBytes*n) &^ w & highBits }

func hasZeroByte(w uint64) uint64 { return hasByteBelow(w, 1) }
