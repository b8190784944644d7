package kubo

import "github.com/ionode/ionode/internal/counterstream"

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

// pattern is the stream the golden CIDs were computed over (see internal/counterstream).
func pattern(n int) []byte { return counterstream.Bytes(n) }
