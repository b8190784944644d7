package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/ionode/ionode/bench/internal/childproc"
	"github.com/ionode/ionode/bench/internal/loadgen"
	"github.com/ionode/ionode/bench/internal/report"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/daemon"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/resolver/ion"
)

// nodeSpec is what the parent tells the node process.
type nodeSpec struct {
	Wiring     string   `json:"wiring"` // "daemon" or "components"
	RPC        string   `json:"rpc"`
	User       string   `json:"user"`
	Pass       string   `json:"pass"`
	Peers      []string `json:"peers"`
	Dir        string   `json:"dir"`
	MongoURI   string   `json:"mongo_uri"`
	Tip        int64    `json:"tip"`
	Expect     int      `json:"expect"`
	ExpectFile string   `json:"expect_file"` // "state suffix" lines (sampler)
	Timeout    float64  `json:"timeout_seconds"`
	Verbose    bool     `json:"verbose"`
	// Load, when its Rate is set, is the open-loop resolution load run against the synced node over
	// HTTP (daemon wiring) from a process of its own: once before the sample is checked (most DIDs
	// resolved for the first time) and once after (every sampled DID resolved once).
	Load loadgen.DIDs `json:"load"`
}

// nodeResult is what the node process reports.
type nodeResult struct {
	Wiring           string             `json:"wiring"`
	SyncSeconds      float64            `json:"sync_seconds"`
	Ingested         map[string]float64 `json:"ingested"`
	Transactions     map[string]float64 `json:"transactions"`
	SyncCPU          float64            `json:"sync_cpu_seconds"`
	SyncHWM          int64              `json:"sync_hwm_bytes"`
	SyncRunQueueWait float64            `json:"sync_run_queue_wait_seconds"`
	ResolveSecs      float64            `json:"resolve_seconds"`
	ResolveCPU       float64            `json:"resolve_cpu_seconds"`
	Checked          map[string]int     `json:"checked"` // sampled DIDs by expected final state
	Matched          map[string]int     `json:"matched"` // those that resolved to it
	Mismatch         string             `json:"mismatch"`
	FinalHWM         int64              `json:"final_hwm_bytes"`
	StateHash        string             `json:"state_hash"`
	Loads            []loadRun          `json:"loads"`
}

// loadRun is one open-loop resolution run and the node's CPU during it.
type loadRun struct {
	Label    string         `json:"label"`
	Rate     float64        `json:"rate"`
	Duration time.Duration  `json:"duration"`
	Result   loadgen.Result `json:"result"`
	CPU      float64        `json:"cpu_seconds"`
	Wait     float64        `json:"run_queue_wait_seconds"`
}

// syncNode is a started node: its store, metrics and sync position.
type syncNode interface {
	Store() store.Store
	Metrics() *node.Metrics
	Height() uint64
	Resolver() *ion.Resolver
	// URL is the node's HTTP base URL, "" when it serves none.
	URL() string
	// Failed returns the error that stopped the chain follower, nil while it runs.
	Failed() error
	Close(context.Context) error
}

type daemonNode struct{ d *daemon.Daemon }

func (n daemonNode) Store() store.Store              { return n.d.Store }
func (n daemonNode) Metrics() *node.Metrics          { return n.d.Metrics }
func (n daemonNode) Height() uint64                  { return n.d.Syncer.Progress().Height }
func (n daemonNode) Resolver() *ion.Resolver         { return n.d.Resolver() }
func (n daemonNode) Close(ctx context.Context) error { return n.d.Close(ctx) }
func (n daemonNode) URL() string                     { return "http://" + n.d.Addr() }

func (n daemonNode) Failed() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	return n.d.Wait(ctx)
}

func startDaemon(ctx context.Context, spec nodeSpec, log *slog.Logger) (syncNode, error) {
	cfg := daemon.DefaultConfig()
	cfg.Network = "regtest"
	cfg.Listen = "127.0.0.1:0"
	cfg.DataDir = filepath.Join(spec.Dir, "node")
	cfg.MongoURI = spec.MongoURI
	cfg.BitcoinRPC, cfg.BitcoinUser, cfg.BitcoinPassword = spec.RPC, spec.User, spec.Pass
	cfg.IPFSListen = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.IPFSPeers = spec.Peers
	cfg.PollInterval = 100 * time.Millisecond
	d, err := daemon.Start(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	return daemonNode{d}, nil
}

// counters sums a counter family of the node's metrics by its single label.
func counters(m *node.Metrics, name string) map[string]float64 {
	out := map[string]float64{}
	families, err := m.Registry.Gather()
	if err != nil {
		return out
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, metric := range f.GetMetric() {
			out[labelOf(metric)] += metric.GetCounter().GetValue()
		}
	}
	return out
}

func labelOf(m *dto.Metric) string {
	var parts []string
	for _, l := range m.GetLabel() {
		parts = append(parts, l.GetValue())
	}
	return strings.Join(parts, ",")
}

func sum(m map[string]float64) (n float64) {
	for _, v := range m {
		n += v
	}
	return n
}

// runNode is the child process: start a fresh node, wait until it has ingested the whole chain, then
// resolve every DID once.
func runNode(ctx context.Context, spec nodeSpec) (nodeResult, error) {
	level := slog.LevelWarn
	if spec.Verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	res := nodeResult{Wiring: spec.Wiring}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(spec.Timeout*float64(time.Second)))
	defer cancel()

	before, wait0 := report.Self(), report.RunQueueWait()
	start := time.Now()
	var (
		n   syncNode
		err error
	)
	switch spec.Wiring {
	case "daemon":
		n, err = startDaemon(ctx, spec, log)
	case "components":
		n, err = startComponents(ctx, spec, log)
	default:
		err = fmt.Errorf("unknown -node %q", spec.Wiring)
	}
	if err != nil {
		return res, err
	}
	defer n.Close(context.Background())

	// Synced: the observer has handled the tip block and every operation is stored. A height at the tip
	// with operations missing for a while means batches were refused: report what the node counted.
	var stuckSince time.Time
	for {
		ingested := sum(counters(n.Metrics(), "ionode_anchored_operations_total"))
		if int(ingested) >= spec.Expect && n.Height() >= uint64(spec.Tip) {
			break
		}
		if err := n.Failed(); err != nil {
			return res, fmt.Errorf("the node stopped: %w", err)
		}
		if n.Height() >= uint64(spec.Tip) {
			if stuckSince.IsZero() {
				stuckSince = time.Now()
			} else if time.Since(stuckSince) > 20*time.Second {
				return res, fmt.Errorf("node reached the tip with %.0f of %d operations (transactions: %v)",
					ingested, spec.Expect, counters(n.Metrics(), "ionode_transactions_total"))
			}
		}
		select {
		case <-ctx.Done():
			return res, fmt.Errorf("sync did not finish: height %d of %d, %.0f of %d operations: %w",
				n.Height(), spec.Tip, ingested, spec.Expect, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	res.SyncSeconds = time.Since(start).Seconds()
	res.SyncCPU = report.Self().Sub(before).CPU().Seconds()
	res.SyncHWM = report.ReadMemory().HWM
	res.SyncRunQueueWait = (report.RunQueueWait() - wait0).Seconds()
	res.Ingested = counters(n.Metrics(), "ionode_anchored_operations_total")
	res.Transactions = counters(n.Metrics(), "ionode_transactions_total")

	raw, err := os.ReadFile(spec.ExpectFile)
	if err != nil {
		return res, err
	}
	var states, suffixes []string
	for line := range strings.Lines(string(raw)) {
		f := strings.Fields(line)
		if len(f) != 2 {
			return res, fmt.Errorf("%s: line %q is not \"state suffix\"", spec.ExpectFile, line)
		}
		states, suffixes = append(states, f[0]), append(suffixes, f[1])
	}
	if spec.Load.Rate > 0 {
		if err := loadNode(ctx, n, spec.Load, "first resolutions (states computed from the stored operations)", &res); err != nil {
			return res, err
		}
	}
	// The sample's first resolution (most DIDs; all when the load ran first): the resolver computes and
	// caches each state from the stored operations and their signature verdicts.
	r := n.Resolver()
	cpu0 := report.Self()
	t0 := time.Now()
	var (
		next     atomic.Int64
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	res.Checked, res.Matched = map[string]int{}, map[string]int{}
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(suffixes) {
					return
				}
				state, err := r.State(ctx, suffixes[i])
				ok := err == nil && matches(states[i], state)
				mu.Lock()
				res.Checked[states[i]]++
				if ok {
					res.Matched[states[i]]++
				} else if firstErr == nil {
					firstErr = fmt.Errorf("DID %s, expected %s: state %v: %v", suffixes[i], states[i], state, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.ResolveSecs = time.Since(t0).Seconds()
	res.ResolveCPU = report.Self().Sub(cpu0).CPU().Seconds()
	if firstErr != nil {
		res.Mismatch = firstErr.Error()
		log.Warn("a sampled DID does not resolve to its expected state", "err", firstErr)
	}
	if spec.Load.Rate > 0 {
		if err := loadNode(ctx, n, spec.Load, "after every sampled DID was resolved once", &res); err != nil {
			return res, err
		}
	}
	if hash, err := n.Store().StateHash(ctx); err == nil {
		res.StateHash = hex.EncodeToString(hash)
	}
	res.FinalHWM = report.ReadMemory().HWM
	return res, nil
}

// loadNode runs one open-loop resolution load against the node from a process of its own.
func loadNode(ctx context.Context, n syncNode, load loadgen.DIDs, label string, res *nodeResult) error {
	if n.URL() == "" {
		return fmt.Errorf("the resolution load needs a node that serves HTTP (-node daemon)")
	}
	load.URL, load.Mode = n.URL(), "open"
	spec, err := json.Marshal(load)
	if err != nil {
		return err
	}
	before, wait0 := report.Self(), report.RunQueueWait()
	var out loadgen.Result
	if err := childproc.Run(ctx, []string{"-role", "loadgen", "-spec", string(spec)}, &out); err != nil {
		return fmt.Errorf("load generator: %w", err)
	}
	res.Loads = append(res.Loads, loadRun{Label: label, Rate: load.Rate, Duration: load.Duration, Result: out, CPU: report.Self().Sub(before).CPU().Seconds(),
		Wait: (report.RunQueueWait() - wait0).Seconds()})
	return nil
}
