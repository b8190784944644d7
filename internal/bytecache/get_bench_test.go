package bytecache

import (
	"fmt"
	"testing"
)

// BenchmarkGet reads 1.3 KB entries of a cache holding 100,000 (bench/resolve's answers) in a
// scattered order, into a reused buffer.
func BenchmarkGet(b *testing.B) {
	c := New(128 << 20)
	keys := make([]string, 100_000)
	v := make([]byte, 1300)
	for i := range keys {
		keys[i] = fmt.Sprintf("did:ion:%046d", i)
		c.Set(keys[i], v)
	}
	buf := make([]byte, 0, 2048)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf, _ = c.Get(buf[:0], keys[(i*7919)%len(keys)])
	}
}
