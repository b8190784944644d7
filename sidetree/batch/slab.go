package batch

import "github.com/ionode/ionode/sidetree"

// slabSize is the size of the blocks that many small JSON texts (a batch's deltas) are written into: one
// allocation per block instead of one per text, and a block is freed once the texts in it are released.
const slabSize = 64 << 10

// slab hands out JSON texts written into shared blocks.
type slab struct{ buf []byte }

// stringify writes v's JSON.stringify form and returns it, capped so that appending to it cannot
// overwrite the next text. sizeHint is what the text is expected to fit in (a checked size limit); a
// larger text is still written whole.
func (s *slab) stringify(v sidetree.Value, sizeHint int) []byte {
	if cap(s.buf)-len(s.buf) < sizeHint {
		s.buf = make([]byte, 0, max(slabSize, sizeHint))
	}
	start := len(s.buf)
	s.buf = v.AppendStringify(s.buf)
	return s.buf[start:len(s.buf):len(s.buf)]
}
