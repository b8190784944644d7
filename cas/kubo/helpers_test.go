package kubo

import (
	"crypto/sha256"
	"encoding/binary"
)

// goldens: CIDs from Kubo 0.43.0 `ipfs add -Q` (see cas/golden_test.go for
// the provenance and the pattern).
var goldens = []struct {
	name string
	data []byte
	cid  string
}{
	{"hello world", []byte("hello world\n"), "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"},
	{"262145 bytes", pattern(262145), "QmZRZYEtyYsJWDc4bCne5vmXzndMefW6W7Gx1zLmw67QuT"},
	{"1 MiB", pattern(1 << 20), "Qmf5BJUJ129GdC2TuaEXvBV3q5cJ4oD7gBnUD64EcTJW4y"},
}

const (
	// emptyDirCID is the empty UnixFS directory, which every Kubo repository holds.
	emptyDirCID = "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn"
	// unknownCID is sha2-256 of "no test stores this" as a CIDv0.
	unknownCID = "QmeTwxikzxQ4NkHWGRGUSqBdcpLKchgcM1iXU3oSpmBTmW"
)

// pattern is the SHA-256 counter stream of cas/pattern_test.go.
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
