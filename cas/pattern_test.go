package cas

import (
	"sync"

	"github.com/ionode/ionode/internal/counterstream"
)

// pattern is the stream the golden CIDs were computed over (see internal/counterstream).
func pattern(n int) []byte { return counterstream.Bytes(n) }

// patternPrefix returns pattern(n) from one shared stream (pattern(n) is a
// prefix of pattern(m) for n < m), so that the golden tables generate their
// 45 MB inputs once. Callers must not modify the result.
func patternPrefix(n int) []byte {
	patternOnce.Do(func() { patternStream = pattern(175 * ChunkSize) })
	if n > len(patternStream) {
		return pattern(n)
	}
	return patternStream[:n:n]
}

var (
	patternOnce   sync.Once
	patternStream []byte
)
