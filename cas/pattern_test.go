package cas

import (
	"crypto/sha256"
	"encoding/binary"
	"sync"
)

// pattern returns n deterministic, incompressible bytes: the SHA-256 counter
// stream sha256(be64(0)) || sha256(be64(1)) || … truncated to n bytes. The
// golden CIDs were computed by `ipfs add` over files holding exactly these
// bytes.
func pattern(n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	var ctr [8]byte
	for i := uint64(0); len(out) < n; i++ {
		binary.BigEndian.PutUint64(ctr[:], i)
		sum := sha256.Sum256(ctr[:])
		out = append(out, sum[:]...)
	}
	return out[:n]
}

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
