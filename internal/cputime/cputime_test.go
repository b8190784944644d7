package cputime_test

import (
	"crypto/sha256"
	"testing"

	"github.com/ionode/ionode/internal/cputime"
)

func TestSelfGrowsWithWork(t *testing.T) {
	before := cputime.Self()
	buf := make([]byte, 1<<20)
	// Hash until the clock (10 ms ticks on some kernels) must have moved.
	for i := 0; cputime.Self()-before < 20e6; i++ {
		if i > 1e5 {
			t.Fatalf("CPU time did not grow after %d hashes of 1 MiB", i)
		}
		buf[0] = sha256.Sum256(buf)[0]
	}
}
