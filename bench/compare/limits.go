package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"time"

	kpgzip "github.com/klauspost/compress/gzip"

	"github.com/ionode/ionode/bench/internal/report"
	"github.com/ionode/ionode/sidetree"
)

// limits are the costs that bound the batch task, measured by our worker (one core) on the batch's own
// files: what reading them would cost if inflating, parsing the JSON or hashing were all there was to do.
type limits struct {
	Operations      int   `json:"operations"`
	Files           int   `json:"files"`
	CompressedBytes int64 `json:"compressedBytes"`
	InflatedBytes   int64 `json:"inflatedBytes"`
	// CPU time of one pass of each stage over every file, in nanoseconds.
	InflateNs int64 `json:"inflateNs"`
	ParseNs   int64 `json:"parseNs"` // our batch-file JSON parser (yieldable-json's reading) on the inflated text
	SHA256Ns  int64 `json:"sha256Ns"`
}

// Each stage is timed over at least minLimitPasses passes and minLimitCPU of CPU time (the mean pass is
// reported): a tiny batch's pass is too short for the clock alone.
const (
	minLimitPasses = 3
	minLimitCPU    = 200 * time.Millisecond
)

// measureLimits times each stage over the inflated files of dir/files.
func measureLimits(dir string) (limits, error) {
	var meta batchMeta
	if err := readJSON(filepath.Join(dir, "batch.json"), &meta); err != nil {
		return limits{}, err
	}
	entries, err := os.ReadDir(filepath.Join(dir, "files"))
	if err != nil {
		return limits{}, err
	}
	l := limits{Operations: meta.Operations, Files: len(entries)}
	var files, inflated [][]byte
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, "files", e.Name()))
		if err != nil {
			return limits{}, err
		}
		files = append(files, data)
		l.CompressedBytes += int64(len(data))
	}
	// Each file inflates into the same buffer pass after pass: the inflater's cost, not the allocator's.
	var zr kpgzip.Reader
	outs := make([]bytes.Buffer, len(files))
	inflate := func() error {
		inflated = inflated[:0]
		for i, data := range files {
			if err := zr.Reset(bytes.NewReader(data)); err != nil {
				return err
			}
			outs[i].Reset()
			if _, err := outs[i].ReadFrom(&zr); err != nil {
				return err
			}
			inflated = append(inflated, outs[i].Bytes())
		}
		return nil
	}
	// The JSON is read as the batch reader reads it: the chunk and provisional proof files one element at
	// a time, the index files member by member, the rest whole, into the trees the reference's JavaScript
	// objects are to us.
	yl := sidetree.YieldableLimits{MaxDepth: sidetree.BatchYieldableDepth, RefusePrototypes: true}
	parse := func() error {
		for _, text := range inflated {
			if sidetree.EachYieldableElement(text, []string{"deltas"}, keepGoing) ||
				sidetree.EachYieldableElement(text, []string{"operations", "update"}, keepGoing) ||
				sidetree.WalkYieldable(text, keepWalking) {
				continue
			}
			if _, err := sidetree.ParseYieldableJSONWith(text, yl); err != nil {
				return err
			}
		}
		return nil
	}
	hash := func() error {
		for _, text := range inflated {
			sha256.Sum256(text)
		}
		return nil
	}
	for _, stage := range []struct {
		ns  *int64
		run func() error
	}{{&l.InflateNs, inflate}, {&l.ParseNs, parse}, {&l.SHA256Ns, hash}} {
		cpu0 := report.Self().CPU()
		passes := 0
		for ; passes < minLimitPasses || report.Self().CPU()-cpu0 < minLimitCPU; passes++ {
			if err := stage.run(); err != nil {
				return limits{}, err
			}
		}
		*stage.ns = int64(report.Self().CPU()-cpu0) / int64(passes)
	}
	for _, text := range inflated {
		l.InflatedBytes += int64(len(text))
	}
	return l, nil
}

// perOp is a stage's CPU time per operation of the batch, in microseconds.
func (l limits) perOp(ns int64) float64 {
	return float64(ns) / 1e3 / float64(l.Operations)
}

// mbps is a stage's throughput over the given bytes, in MB/s of CPU time.
func mbps(bytes, ns int64) float64 {
	return float64(bytes) / 1e6 / time.Duration(ns).Seconds()
}

// String is the limits line under the table.
func (l limits) String() string {
	return fmt.Sprintf("inflate %.0f MB/s of output (%.2f µs/op), JSON parse %.0f MB/s (%.2f µs/op), SHA-256 %.0f MB/s (%.2f µs/op) over the batch's %d files (%s compressed, %s inflated)",
		mbps(l.InflatedBytes, l.InflateNs), l.perOp(l.InflateNs), mbps(l.InflatedBytes, l.ParseNs), l.perOp(l.ParseNs),
		mbps(l.InflatedBytes, l.SHA256Ns), l.perOp(l.SHA256Ns), l.Files, report.MiB(l.CompressedBytes), report.MiB(l.InflatedBytes))
}

func keepGoing(int, sidetree.Value, []byte, bool) bool { return true }

func keepWalking([]string, int, sidetree.Value, []byte, bool) bool { return true }
