package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/ionode/ionode/bench/internal/report"
)

// row is one line of the table: which process's passes it reads, and whether the cold pass or the warm ones.
type row struct {
	label, run, unit string
	cold             bool
}

func rows(s sizes) []row {
	return []row{
		{fmt.Sprintf("long-form DID resolution (%d ion-sdk DIDs)", s.longForm), "longform", "DIDs", false},
		{fmt.Sprintf("one DID, create + %d updates, resolved from its operations", s.historyLength), "history", "resolutions", false},
		{fmt.Sprintf("%d DIDs × (create + %d updates), resolved", s.manyDIDs, s.manyUpdates), "many", "DIDs", false},
		{fmt.Sprintf("a %d-operation batch (½ creates, ½ updates) read, parsed, validated", s.batchOps), "batch", "ops", false},
		{"the same, one cold pass in a fresh process", "batch-cold", "ops", true},
	}
}

// rate is operations per second of CPU time (cpu) or of wall time, over a sample's warm passes (their
// sum) or its first pass.
func rate(s sample, cold, cpu bool) float64 {
	passes := s.Passes[:1]
	if !cold && len(s.Passes) > 1 {
		passes = s.Passes[1:]
	}
	var ops int
	var ns int64
	for _, p := range passes {
		ops += p.Ops
		if cpu {
			ns += p.CPUNs
		} else {
			ns += p.WallNs
		}
	}
	if ns <= 0 {
		return 0
	}
	return float64(ops) / time.Duration(ns).Seconds()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	if n := len(xs); n%2 == 0 {
		return (xs[n/2-1] + xs[n/2]) / 2
	}
	return xs[len(xs)/2]
}

func medianRate(samples []sample, cold, cpu bool) float64 {
	var xs []float64
	for _, s := range samples {
		xs = append(xs, rate(s, cold, cpu))
	}
	return median(xs)
}

func medianRSS(samples []sample) float64 {
	var xs []float64
	for _, s := range samples {
		xs = append(xs, float64(s.MaxRSS))
	}
	return median(xs)
}

func printResults(w io.Writer, o options, res results, loadAtStart string) {
	fmt.Fprintf(w, "\nthroughput per CPU-second (user + system, whole process), median of %d rounds; ratio = ionode ÷ reference\n\n", o.rounds)
	fmt.Fprintln(w, "| task | ionode | reference | ratio | ionode (wall) | reference (wall) | peak RSS ionode | peak RSS reference |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, r := range rows(o.sizes) {
		a, b := res[r.run][ours], res[r.run][theirs]
		oc, tc := medianRate(a, r.cold, true), medianRate(b, r.cold, true)
		fmt.Fprintf(w, "| %s | %.0f %s/s | %.0f %s/s | %.1f× | %.0f/s | %.0f/s | %s | %s |\n", r.label,
			oc, r.unit, tc, r.unit, oc/tc, medianRate(a, r.cold, false), medianRate(b, r.cold, false),
			report.MiB(int64(medianRSS(a))), report.MiB(int64(medianRSS(b))))
	}
	a, b := medianRSS(res["batch-cold"][ours]), medianRSS(res["batch-cold"][theirs])
	fmt.Fprintf(w, "| peak memory for reading that batch (fresh process, one pass) | %s | %s | %.2f× of the reference's | | | | |\n",
		report.MiB(int64(a)), report.MiB(int64(b)), a/b)
	if l, ok := medianLimits(res["limits"][ours]); ok {
		floor := l.perOp(l.InflateNs + l.ParseNs)
		fmt.Fprintf(w, "\nlimits of the batch task (ionode, one core, median of %d rounds): %s\n", len(res["limits"][ours]), l)
		if ref := medianRate(res["batch"][theirs], false, true); ref > 0 {
			fmt.Fprintf(w, "inflating and parsing alone: %.2f µs/op, so no reader built on them goes past %.0f× the reference's warm batch rate\n",
				floor, 1e6/ref/floor)
		}
	}
	fmt.Fprintf(w, "\nthe batch's CPU per operation, user + system (page faults per pass), median of %d rounds: warm ionode %s, reference %s; cold ionode %s, reference %s\n",
		o.rounds, medianSplit(res["batch"][ours], false), medianSplit(res["batch"][theirs], false),
		medianSplit(res["batch-cold"][ours], true), medianSplit(res["batch-cold"][theirs], true))
	if s := res["batch"][ours]; len(s) > 0 {
		fmt.Fprintf(w, "\nionode's worker ran with GOMAXPROCS=1 and %s\n", s[0].GC)
	}
	fmt.Fprintf(w, "\nload avg: %s (start) / %s (end); %d passes per process, the first one cold\n", loadAtStart, report.LoadAverage(), o.passes)
}

// medianLimits is the median of each stage's time over the samples (the sizes are the same in every one).
func medianLimits(samples []sample) (limits, bool) {
	var l limits
	var inflate, parse, hash []float64
	for _, s := range samples {
		if s.Limits == nil {
			continue
		}
		l = *s.Limits
		inflate, parse, hash = append(inflate, float64(l.InflateNs)), append(parse, float64(l.ParseNs)), append(hash, float64(l.SHA256Ns))
	}
	if len(inflate) == 0 {
		return limits{}, false
	}
	l.InflateNs, l.ParseNs, l.SHA256Ns = int64(median(inflate)), int64(median(parse)), int64(median(hash))
	return l, true
}

// medianSplit is the user and system CPU time per operation of the samples' warm passes (or cold one),
// and their page faults per pass: the system part is mostly first touches of memory.
func medianSplit(samples []sample, cold bool) string {
	var user, sys, faults []float64
	for _, s := range samples {
		passes := s.Passes[:1]
		if !cold && len(s.Passes) > 1 {
			passes = s.Passes[1:]
		}
		var ops, cpuNs, sysNs, f int64
		for _, p := range passes {
			ops, cpuNs, sysNs, f = ops+int64(p.Ops), cpuNs+p.CPUNs, sysNs+p.SysNs, f+p.Faults
		}
		if ops == 0 {
			continue
		}
		user = append(user, float64(cpuNs-sysNs)/1e3/float64(ops))
		sys = append(sys, float64(sysNs)/1e3/float64(ops))
		faults = append(faults, float64(f)/float64(len(passes)))
	}
	return fmt.Sprintf("%.2f + %.2f µs (%.0f)", median(user), median(sys), median(faults))
}
