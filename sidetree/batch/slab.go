package batch

import "github.com/ionode/ionode/sidetree"

// slabSize is the size of the blocks that many small JSON texts (a batch's deltas, its operations' request
// bodies) are written into: one allocation per block instead of one per text, and a block is freed once
// the texts in it are released.
const slabSize = 64 << 10

// slab hands out JSON texts written into shared blocks.
type slab struct{ buf []byte }

// room makes sure the current block has n bytes free, starting a new block if not.
func (s *slab) room(n int) {
	if cap(s.buf)-len(s.buf) < n {
		s.buf = make([]byte, 0, max(slabSize, n))
	}
}

// stringify writes v's JSON.stringify form and returns it, capped so that appending to it cannot
// overwrite the next text. sizeHint is what the text is expected to fit in (a checked size limit); a
// larger text is still written whole.
func (s *slab) stringify(v sidetree.Value, sizeHint int) []byte {
	s.room(sizeHint)
	start := len(s.buf)
	s.buf = v.AppendStringify(s.buf)
	return s.buf[start:len(s.buf):len(s.buf)]
}

// clone returns a copy of b, capped like stringify's texts.
func (s *slab) clone(b []byte) []byte {
	s.room(len(b))
	start := len(s.buf)
	s.buf = append(s.buf, b...)
	return s.buf[start:len(s.buf):len(s.buf)]
}
