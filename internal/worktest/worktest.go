// Package worktest checks that a parser of outside input costs work linear in its input. Wall time is
// useless for that on a shared machine, so it counts what the parser allocates (objects and bytes): the
// ways Go code goes quadratic on hostile input (a string spliced or copied once per escape, a text copied
// into every nested error, a slice rebuilt per key) all allocate in proportion to the work.
package worktest

import (
	"fmt"
	"runtime"
	"testing"
)

// Cost is what one run allocated.
type Cost struct {
	Allocs uint64
	Bytes  uint64
}

// Measure returns the mean allocations of run over runs calls (after one warm-up call).
func Measure(runs int, run func()) Cost {
	run()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		run()
	}
	runtime.ReadMemStats(&after)
	return Cost{
		Allocs: (after.Mallocs - before.Mallocs) / uint64(runs),
		Bytes:  (after.TotalAlloc - before.TotalAlloc) / uint64(runs),
	}
}

// MaxRatio is how much more work twice the input may cost: twice, with room for the geometric growth of
// slices and maps, which allocates in steps.
const MaxRatio = 2.6

// Linear fails t unless input of size 2n costs at most MaxRatio times what input of size n costs, in
// allocations and in bytes. gen makes the input for a size (what "size" counts is gen's: escapes, keys,
// nesting levels); parse runs the parser on it and may fail t on a wrong answer.
func Linear(t *testing.T, n int, gen func(n int) []byte, parse func(in []byte)) {
	t.Helper()
	small, large := gen(n), gen(2*n)
	cs := Measure(3, func() { parse(small) })
	cl := Measure(3, func() { parse(large) })
	if err := check(cs, cl, len(small), len(large)); err != nil {
		t.Error(err)
	}
}

func check(small, large Cost, smallLen, largeLen int) error {
	ratio := func(a, b uint64) float64 { return float64(b) / float64(max(a, 1)) }
	// A parser that allocates nothing per unit of input is linear whatever the ratio of two tiny counts.
	const floorAllocs, floorBytes = 64, 16 << 10
	if r := ratio(small.Allocs, large.Allocs); r > MaxRatio && large.Allocs > floorAllocs {
		return fmt.Errorf("input of %d bytes: %d allocations; of %d bytes: %d (×%.1f, super-linear)", smallLen, small.Allocs, largeLen, large.Allocs, r)
	}
	if r := ratio(small.Bytes, large.Bytes); r > MaxRatio && large.Bytes > floorBytes {
		return fmt.Errorf("input of %d bytes: %d bytes allocated; of %d bytes: %d (×%.1f, super-linear)", smallLen, small.Bytes, largeLen, large.Bytes, r)
	}
	return nil
}
