// Package counterstream makes the test data behind the golden CIDs of cas and cas/kubo: n
// deterministic, incompressible bytes, the SHA-256 counter stream sha256(be64(0)) || sha256(be64(1))
// || … truncated to n bytes. The golden CIDs were computed by `ipfs add` over files holding exactly
// these bytes, so every test that checks them must make its data here.
package counterstream

import (
	"crypto/sha256"
	"encoding/binary"
)

// Bytes returns the first n bytes of the stream (Bytes(n) is a prefix of Bytes(m) for n < m).
func Bytes(n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	var ctr [8]byte
	for i := uint64(0); len(out) < n; i++ {
		binary.BigEndian.PutUint64(ctr[:], i)
		sum := sha256.Sum256(ctr[:])
		out = append(out, sum[:]...)
	}
	return out[:n]
}
