// Package cputimetest reports a benchmark's CPU time per iteration, for the benchmarks of every package.
package cputimetest

import (
	"testing"

	"github.com/ionode/ionode/internal/cputime"
)

// Report resets b's timer and returns a function that stops it and reports the process's CPU time per
// iteration as cpu-ns/op (user and system, all threads, so the collector's too): on a shared machine
// ns/op also counts the time other processes held the cores. Call it as `defer cputimetest.Report(b)()`
// right before the loop.
func Report(b *testing.B) func() {
	b.Helper()
	start := cputime.Self()
	b.ResetTimer()
	return func() {
		b.StopTimer()
		b.ReportMetric(float64(cputime.Self()-start)/float64(b.N), "cpu-ns/op")
	}
}
