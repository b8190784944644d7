package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ionode/ionode/bench/internal/report"
	"github.com/ionode/ionode/internal/gcfloor"
	"github.com/ionode/ionode/node/verify"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// The worker (ours, in a child process) is this program started with these variables set.
const (
	workerEnv       = "IONODE_COMPARE_WORKER" // the task
	workerDirEnv    = "IONODE_COMPARE_DIR"
	workerPassesEnv = "IONODE_COMPARE_PASSES"
)

// pass is one pass over a task's input, as both workers report it.
type pass struct {
	Ops    int   `json:"ops"`
	CPUNs  int64 `json:"cpuNs"`
	WallNs int64 `json:"wallNs"`
	// SysNs is the system part of CPUNs, Faults the minor page faults: in a fresh process the first
	// passes touch memory the heap has not used before, and each first touch is a fault paid in the kernel.
	SysNs  int64 `json:"sysNs"`
	Faults int64 `json:"faults"`
}

// passSince is the pass that began with u0 at t0.
func passSince(ops int, u0 report.Usage, t0 time.Time) pass {
	u := report.Self().Sub(u0)
	return pass{Ops: ops, CPUNs: int64(u.CPU()), WallNs: int64(time.Since(t0)), SysNs: int64(u.System), Faults: u.MinorFaults}
}

type workerResult struct {
	Passes []pass `json:"passes"`
	// PeakRSS is the worker's own VmHWM (/proc/self/status), in bytes, read after its last pass. The
	// parent's getrusage of the child is not used: Linux carries the forking process's high-water mark
	// into the child's ru_maxrss at exec, so every child would look at least as large as this command.
	PeakRSS int64 `json:"peakRss"`
	// Limits are the limits task's figures (its one pass is the whole measurement).
	Limits *limits `json:"limits,omitempty"`
	// GC says which collector settings our worker ran with (the reference's worker leaves it out).
	GC string `json:"gc,omitempty"`
}

func workerMain(task string, stdout, stderr io.Writer) int {
	gc := workerGC()
	passes, err := strconv.Atoi(os.Getenv(workerPassesEnv))
	if err == nil {
		var res workerResult
		res, err = runWorker(task, os.Getenv(workerDirEnv), passes)
		res.GC = gc
		if err == nil {
			err = json.NewEncoder(stdout).Encode(res)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "compare worker %s: %v\n", task, err)
		return 1
	}
	return 0
}

// workerGC applies the node's collector settings as `ionode serve` does at start (internal/gcfloor:
// fresh memory is expensive on small VMs), so that our code runs as the node runs it rather than at Go's
// default, and says what it applied. The node's heap floor holds only while it answers requests at
// gcfloor.DefaultBusyRate; the worker answers none, as a syncing node answering few, so its floor is
// started with a request count that stays at zero. (The worker does not link node/daemon: its packages'
// initialization alone raised every task's peak RSS by ~40 MiB.)
func workerGC() string {
	if v, ok := os.LookupEnv("GOGC"); ok {
		return "GOGC=" + v + " from the environment"
	}
	idle := &gcfloor.RequestRate{MinPerSecond: gcfloor.DefaultBusyRate}
	if gcfloor.Apply(gcfloor.DefaultPercent, gcfloor.DefaultFloorMB, idle, slog.New(slog.DiscardHandler)) == nil {
		return fmt.Sprintf("GC percent %d, no heap floor (the node's defaults)", gcfloor.DefaultPercent)
	}
	return fmt.Sprintf("GC percent %d; the node's %d MiB heap floor holds only while it answers %d requests/s or more, so not here (the node's defaults)",
		gcfloor.DefaultPercent, gcfloor.DefaultFloorMB, gcfloor.DefaultBusyRate)
}

func runWorker(task, dir string, passes int) (workerResult, error) {
	if task == "limits" {
		u0, t0 := report.Self(), time.Now()
		l, err := measureLimits(dir)
		if err != nil {
			return workerResult{}, err
		}
		return workerResult{Passes: []pass{passSince(l.Operations, u0, t0)}, PeakRSS: report.ReadMemory().HWM, Limits: &l}, nil
	}
	once, err := setupOurs(task, dir)
	if err != nil {
		return workerResult{}, err
	}
	var res workerResult
	for range passes {
		u0, t0 := report.Self(), time.Now()
		ops, err := once()
		if err != nil {
			return res, err
		}
		res.Passes = append(res.Passes, passSince(ops, u0, t0))
	}
	res.PeakRSS = report.ReadMemory().HWM
	return res, nil
}

// setupOurs reads a task's input and returns one pass of the work: what the node does for a
// GET /identifiers request (parse the DID, resolve, serialize the body) or for an anchored batch.
func setupOurs(task, dir string) (func() (int, error), error) {
	p := sidetree.Mainnet().Latest()
	var body []byte
	resolve := func(did string, ops []sidetree.AnchoredOperation) error {
		d, err := sidetree.ParseDID(did, "ion", p)
		if err != nil {
			return fmt.Errorf("%s: %w", did, err)
		}
		// The node's GET /identifiers answer, written as the node writes it (resolver/ion's Answers).
		var status int
		body, status, _ = sidetree.AppendResolveDID(body[:0], d, ops)
		if status != 200 {
			return fmt.Errorf("%s: status %d: %s", did, status, body)
		}
		return nil
	}
	switch task {
	case "longform":
		var dids []string
		if err := readJSON(filepath.Join(dir, "longform.json"), &dids); err != nil {
			return nil, err
		}
		return func() (int, error) {
			for _, did := range dids {
				if err := resolve(did, nil); err != nil {
					return 0, err
				}
			}
			return len(dids), nil
		}, nil
	case "history", "many":
		var groups []didOps
		if err := readJSON(filepath.Join(dir, task+".json"), &groups); err != nil {
			return nil, err
		}
		dids := make([]string, len(groups))
		ops := make([][]sidetree.AnchoredOperation, len(groups))
		for i, g := range groups {
			dids[i] = "did:ion:" + g.Suffix
			for _, o := range g.Ops {
				ops[i] = append(ops[i], sidetree.AnchoredOperation{Type: o.Type, DIDSuffix: g.Suffix, Raw: o.Raw,
					TransactionNumber: o.TransactionNumber, TransactionTime: o.TransactionTime, OperationIndex: o.OperationIndex})
			}
		}
		// The node stores each operation's signature verdict when it ingests it (node/verify), so a
		// resolution from the store reads verdicts; computing them is ingest's cost, outside the passes.
		for i := range ops {
			d, err := sidetree.ParseDID(dids[i], "ion", p)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", dids[i], err)
			}
			verified := sidetree.ResolveDID(d, ops[i])
			if err := verify.Verdicts(context.Background(), ops[i], 1); err != nil {
				return nil, err
			}
			// The stored verdicts must not change the answer (interop tests this against the reference).
			if got := sidetree.ResolveDID(d, ops[i]); got.Status != verified.Status ||
				!bytes.Equal(got.Body.Stringify(), verified.Body.Stringify()) {
				return nil, fmt.Errorf("%s: the stored verdicts change the resolution", dids[i])
			}
		}
		return func() (int, error) {
			for i, did := range dids {
				if err := resolve(did, ops[i]); err != nil {
					return 0, err
				}
			}
			return len(dids), nil
		}, nil
	case "batch":
		var meta batchMeta
		if err := readJSON(filepath.Join(dir, "batch.json"), &meta); err != nil {
			return nil, err
		}
		count, uri, err := batch.ParseAnchorString(meta.AnchorString, p)
		if err != nil {
			return nil, err
		}
		// The files are read from disk in each pass, as the reference's side does.
		r := &batch.Reader{Parameters: p, Fetch: func(uri string, max int) ([]byte, error) {
			data, err := os.ReadFile(filepath.Join(dir, "files", uri))
			if err == nil && len(data) > max {
				err = fmt.Errorf("%s: %d bytes exceed %d", uri, len(data), max)
			}
			return data, err
		}}
		tx := batch.Transaction{Number: meta.TransactionNumber, Time: meta.TransactionTime, OperationCount: count, CoreIndexFileURI: uri}
		return func() (int, error) {
			ops, err := r.Read(tx)
			if err != nil {
				return 0, err
			}
			if len(ops) != meta.Operations {
				return 0, fmt.Errorf("batch: %d operations read, want %d", len(ops), meta.Operations)
			}
			return len(ops), nil
		}, nil
	}
	return nil, fmt.Errorf("unknown task %q", task)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
