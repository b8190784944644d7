package cas

import (
	"errors"
	"fmt"
	"io"
)

// initialBufferLimit caps the first allocation made from a size announced by
// the content itself, which may lie; larger content grows the buffer as it
// actually arrives.
const initialBufferLimit = 1 << 20

// ReadAtMost reads r to its end and returns what it read, unless r holds more
// than maxSize bytes: then it stops after maxSize+1 bytes and returns an error
// wrapping ErrTooLarge. sizeHint (the announced size, or -1) only sizes the
// first allocation. The buffer never grows past maxSize+1 bytes.
func ReadAtMost(r io.Reader, maxSize, sizeHint int64) ([]byte, error) {
	if maxSize < 0 {
		return nil, fmt.Errorf("cas: negative maximum size %d", maxSize)
	}
	limit := maxSize + 1
	if limit < 0 { // maxSize is math.MaxInt64: no content can exceed it anyway
		limit = maxSize
	}
	if sizeHint < limit {
		sizeHint++ // room to see EOF without growing
	}
	capacity := min(max(sizeHint, 512), limit, initialBufferLimit)
	buf := make([]byte, 0, capacity)
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) >= limit {
				return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxSize)
			}
			grown := make([]byte, len(buf), min(int64(cap(buf))*2, limit))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			if int64(len(buf)) > maxSize {
				return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxSize)
			}
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
