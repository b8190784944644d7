package cas

import (
	"crypto/sha256"
	"encoding/binary"
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
