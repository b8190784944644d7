package pebble

import (
	"github.com/cockroachdb/pebble/v2"
)

// comparer orders keys bytewise, as Pebble's default does, but tells Pebble that an operation key's
// prefix is "o <suffix> 00": the bloom filters are then built over DIDs, and reading one DID's
// operations (SeekPrefixGE) skips every table that holds none of them instead of reading a data block
// in each level. With a million operations that is most of a point read's cost.
//
// Separator and Successor keep keys whole: Pebble's shortened index keys could cut an operation key
// inside its <txnum:8> <index:4> tail, giving a key whose prefix (the whole key) sorts after the
// prefix of a larger operation key, which Split's contract forbids.
var comparer = func() *pebble.Comparer {
	c := *pebble.DefaultComparer
	c.Name = "ionode.operation-prefix.v1"
	c.Split = splitKey
	c.Separator = func(dst, a, _ []byte) []byte { return append(dst, a...) }
	c.Successor = func(dst, a []byte) []byte { return append(dst, a...) }
	return &c
}()

// operationKeyTail is the length of <txnum:8> <index:4> after an operation key's 0x00.
const operationKeyTail = 12

// splitKey returns the length of an operation key's "o <suffix> 00" and the whole length of any other
// key. Suffixes contain no NUL, so the 0x00 thirteen bytes before the end of an operation key is its
// terminator and nothing else.
func splitKey(k []byte) int {
	n := len(k)
	if n >= 2+operationKeyTail && k[0] == prefixOperation && k[n-operationKeyTail-1] == 0 {
		return n - operationKeyTail
	}
	return n
}
