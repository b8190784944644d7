package sidetree

import "encoding/base64"

// PayloadReader reads the signed data payloads of many JWSs, a proof file's, as JWS.PayloadValue does,
// decoding them into shared blocks and keeping their objects in shared chunks: a 10,000-proof file then
// costs a few dozen allocations instead of two per payload. The values it returns stay valid for as long
// as they are used (blocks are only ever appended to); keeping one keeps its blocks. Its zero value is
// ready to use; it is not safe for concurrent use.
type PayloadReader struct {
	buf   []byte
	store parseStore
}

// payloadBlockBytes is the size of a block of decoded payloads (an update's is ~200 bytes).
const payloadBlockBytes = 16 << 10

// Value returns j's payload as j.PayloadValue() does.
func (r *PayloadReader) Value(j JWS) (Value, error) {
	if r.store.members.chunkSize == 0 {
		// An update's payload has six members and no array; a chunk then holds ~40 payloads.
		r.store.members.chunkSize, r.store.elems.chunkSize = 256, 64
	}
	return j.payloadValue(r)
}

// decode is DecodeBase64URL into r's current block, capped at its length.
func (r *PayloadReader) decode(s string) ([]byte, error) {
	trimmed, err := trimBase64URL(s)
	if err != nil {
		return nil, err
	}
	n := base64.RawURLEncoding.DecodedLen(len(trimmed))
	if cap(r.buf)-len(r.buf) < n {
		r.buf = make([]byte, 0, max(payloadBlockBytes, n))
	}
	start := len(r.buf)
	out, err := decodeTrimmedBase64URL(r.buf[start:start+n], s, trimmed)
	if err != nil {
		return nil, err
	}
	r.buf = r.buf[:start+len(out)]
	return out[:len(out):len(out)], nil
}

// Rewind lets the next payloads reuse r's memory from its start: every value returned so far is
// overwritten by what is read next, so none of them may still be in use (a reader that only checks each
// payload and drops it reads a whole proof file into one block).
func (r *PayloadReader) Rewind() {
	r.buf = r.buf[:0]
	r.store.rewind()
}
