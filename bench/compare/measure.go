package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

//go:embed reference.mjs
var referenceScript []byte

// A run is one task in one fresh process of one side.
type run1 struct {
	task   string // worker task
	passes int
}

// sample is what one process measured: its passes and its peak RSS (VmHWM, see workerResult).
type sample struct {
	Passes []pass
	MaxRSS int64   // bytes
	Limits *limits // the limits task's
	// GC is the collector settings our worker ran with ("" for the reference's).
	GC string
}

// side names.
const (
	ours   = "ionode"
	theirs = "reference"
)

// results[task][side] are the samples of every round.
type results map[string]map[string][]sample

// runs are the processes of one round: the batch twice, for warm passes and for one cold pass alone (its
// peak RSS is the memory of reading one batch), and the limits of the batch task (ours only).
func runs(o options) map[string]run1 {
	return map[string]run1{
		"longform":   {"longform", o.passes},
		"history":    {"history", o.passes},
		"many":       {"many", o.passes},
		"batch":      {"batch", o.passes},
		"batch-cold": {"batch", 1},
		"limits":     {"limits", 1},
	}
}

var runOrder = []string{"longform", "history", "many", "batch", "batch-cold", "limits"}

func measure(ctx context.Context, o options, dir string, log *slog.Logger) (results, error) {
	script := filepath.Join(dir, "reference.mjs")
	if err := os.WriteFile(script, referenceScript, 0o644); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	res := results{}
	for round := range o.rounds {
		for i, name := range runOrder {
			r := runs(o)[name]
			sides := []string{ours, theirs}
			if (round+i)%2 == 1 {
				sides = []string{theirs, ours}
			}
			if r.task == "limits" {
				sides = []string{ours}
			}
			for _, side := range sides {
				var cmd *exec.Cmd
				if side == ours {
					cmd = exec.CommandContext(ctx, self)
					cmd.Env = append(os.Environ(), workerEnv+"="+r.task, workerDirEnv+"="+dir,
						workerPassesEnv+"="+strconv.Itoa(r.passes), "GOMAXPROCS=1")
				} else {
					cmd = exec.CommandContext(ctx, o.node, script, o.interop, r.task, dir, strconv.Itoa(r.passes))
				}
				log.Info("run", "round", round+1, "task", name, "side", side)
				s, err := runProcess(cmd)
				if err != nil {
					return nil, fmt.Errorf("round %d, %s, %s: %w", round+1, name, side, err)
				}
				if res[name] == nil {
					res[name] = map[string][]sample{}
				}
				res[name][side] = append(res[name][side], s)
			}
		}
	}
	return res, nil
}

func runProcess(cmd *exec.Cmd) (sample, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return sample{}, fmt.Errorf("%w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	var wr workerResult
	if err := json.Unmarshal(stdout.Bytes(), &wr); err != nil {
		return sample{}, fmt.Errorf("worker output %q: %w", stdout.String(), err)
	}
	if len(wr.Passes) == 0 {
		return sample{}, fmt.Errorf("worker reported no passes")
	}
	if wr.PeakRSS <= 0 {
		return sample{}, fmt.Errorf("worker reported no peak RSS")
	}
	return sample{Passes: wr.Passes, MaxRSS: wr.PeakRSS, Limits: wr.Limits, GC: wr.GC}, nil
}
