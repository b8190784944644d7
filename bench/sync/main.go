package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ionode/ionode/bench/internal/chainbuild"
	"github.com/ionode/ionode/bench/internal/loadgen"
	"github.com/ionode/ionode/bench/internal/report"
	"github.com/ionode/ionode/internal/ferrettest"
	"github.com/ionode/ionode/sidetree"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sync:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	creates := fs.Int("creates", 20, "batches of creates (without -mix)")
	updates := fs.Int("updates", 1, "batches of updates of the first DIDs (without -mix)")
	size := fs.Int("batch", 10_000, "operations per batch (ION's maximum: 10,000)")
	mixFlag := fs.String("mix", "", `a mix of operation types in per cent, "creates/updates/recovers/deactivates" (e.g. 70/25/4/1), for -ops operations instead of -creates and -updates`)
	ops := fs.Int("ops", 1_000_000, "with -mix: operations in the chain")
	sample := fs.Int("sample", 100_000, "check about this many DIDs' final states at the end, spread over the chain (0: every DID)")
	perLock := fs.Int("batches-per-lock", 0, "batches anchored under one value time lock before the next lock (0: as many as a lock's 150 blocks allow)")
	builders := fs.Int("builders", 0, "batches built in parallel ahead of the chain (0: GOMAXPROCS)")
	resolveRate := fs.Float64("resolve-rate", 0, "after the sync, load the synced node over HTTP at this many resolutions/s (open loop, from a third process; needs -node daemon; 0: no load)")
	resolveDuration := fs.Duration("resolve-duration", 30*time.Second, "length of each resolution load run")
	wiring := fs.String("node", "components", `node wiring: "daemon" (node/daemon as ionode serve runs it) or "components" (see the package documentation)`)
	storeKind := fs.String("store", "pebble", `the node's store: "pebble" (embedded), "ferretdb" (an embedded FerretDB in this process, MongoDB store) or "mongodb" (-mongodb-uri)`)
	mongoURI := fs.String("mongodb-uri", "", "with -store=mongodb: the MongoDB to sync into (use an empty database)")
	dir := fs.String("dir", "", "working directory (default: a temporary one, removed at the end)")
	timeout := fs.Duration("timeout", 30*time.Minute, "give up after this long")
	verbose := fs.Bool("v", false, "log the builder's and the node's progress")
	role := fs.String("role", "", "internal: node (the child process)")
	spec := fs.String("spec", "", "internal: the node process's spec (JSON)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *role == "node" {
		var s nodeSpec
		if err := json.Unmarshal([]byte(*spec), &s); err != nil {
			return fmt.Errorf("-spec: %w", err)
		}
		res, err := runNode(ctx, s)
		if err != nil {
			return err
		}
		return json.NewEncoder(out).Encode(res)
	}
	if *role == "loadgen" {
		var load loadgen.DIDs
		if err := json.Unmarshal([]byte(*spec), &load); err != nil {
			return fmt.Errorf("-spec: %w", err)
		}
		res, err := load.Run(ctx)
		if err != nil {
			return err
		}
		return json.NewEncoder(out).Encode(res)
	}
	if *wiring != "daemon" && *wiring != "components" {
		return fmt.Errorf(`-node must be "daemon" or "components"`)
	}
	if *resolveRate > 0 && *wiring != "daemon" {
		return fmt.Errorf("-resolve-rate needs -node daemon (the components wiring serves no HTTP)")
	}
	var plan chainbuild.Plan = chainbuild.CreatesThenUpdates{CreateBatches: *creates, UpdateBatches: *updates, Size: *size}
	planned := fmt.Sprintf("%d create batches + %d update batches of %d operations", *creates, *updates, *size)
	total := (*creates + *updates) * *size
	if *mixFlag != "" {
		mix, err := chainbuild.ParseMix(*mixFlag)
		if err != nil {
			return err
		}
		if *ops < 1 {
			return fmt.Errorf("-ops must be at least 1")
		}
		plan, total = chainbuild.NewMixPlan(*ops, *size, mix), *ops
		planned = fmt.Sprintf("%d operations in batches of %d, mix %s %% (creates/updates/recovers/deactivates) after a first batch of creates", *ops, *size, mix)
	}
	if *size < 1 || *size > 10_000 || *sample < 0 {
		return fmt.Errorf("-batch must be 1..10000 and -sample ≥ 0")
	}
	switch {
	case *storeKind == "mongodb" && *mongoURI == "":
		return fmt.Errorf("-store=mongodb needs -mongodb-uri")
	case *storeKind != "mongodb" && *mongoURI != "":
		return fmt.Errorf("-mongodb-uri needs -store=mongodb")
	case *storeKind != "pebble" && *storeKind != "ferretdb" && *storeKind != "mongodb":
		return fmt.Errorf(`-store must be "pebble", "ferretdb" or "mongodb"`)
	}

	loadStart := report.Header(out, "bench/sync: a fresh node syncs a regtest ION chain from genesis over bitswap")
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	work, cleanup, err := report.WorkDir(*dir, "sync")
	if err != nil {
		return err
	}
	defer cleanup()
	log := report.Logger(*verbose)

	fmt.Fprintln(out, "measuring the single-core limit (parse + validate + apply per operation type)…")
	limit, err := measureLimit()
	if err != nil {
		return err
	}
	every := 1
	if *sample > 0 {
		every = max(1, total / *sample)
	}
	if err := os.MkdirAll(work, 0o700); err != nil {
		return err
	}
	expectFile, liveFile := filepath.Join(work, "expect.txt"), filepath.Join(work, "dids.txt")
	samples, err := newSampler(expectFile, liveFile, every)
	if err != nil {
		return err
	}
	defer samples.Close()
	fmt.Fprintf(out, "building the chain: %s…\n", planned)
	buildStart := time.Now()
	chain, err := chainbuild.Build(ctx, chainbuild.Config{Dir: work, Plan: plan, Size: *size, Workers: *builders, BatchesPerLock: *perLock, OnBatch: samples.add, Logger: log})
	if err != nil {
		return err
	}
	defer chain.Close()
	buildWall := time.Since(buildStart)
	if err := samples.Close(); err != nil {
		return err
	}
	if *storeKind == "ferretdb" {
		// A separate server, as mongod would be: its CPU and memory are not the node's.
		srv, err := ferrettest.StartIn(filepath.Join(work, "ferretdb"))
		if err != nil {
			return err
		}
		defer srv.Stop()
		*mongoURI = srv.URI
	}
	rpc := chain.BTC.RPCConfig()
	s := nodeSpec{
		Wiring: *wiring, RPC: rpc.Host, User: rpc.User, Pass: rpc.Pass, Peers: chain.CAS.Addrs(), Dir: work, MongoURI: *mongoURI,
		Tip: chain.Tip, Expect: chain.Total(), ExpectFile: expectFile, Timeout: time.Until(deadline(ctx)).Seconds(), Verbose: *verbose,
		Load: loadgen.DIDs{DIDFile: liveFile, Rate: *resolveRate, Duration: *resolveDuration, Workers: 64, Spin: 200 * time.Microsecond},
	}
	specJSON, err := json.Marshal(s)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "chain built in %s (tip %d); starting a fresh node (%s wiring)…\n", buildWall.Round(time.Millisecond), chain.Tip, *wiring)
	cmd := exec.CommandContext(ctx, exe, "-role", "node", "-spec", string(specJSON))
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("node process: %w", err)
	}
	var res nodeResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return fmt.Errorf("node process output %q: %w", stdout.String(), err)
	}
	for i := range res.Loads {
		res.Loads[i].Result.Summary.Restore()
		res.Loads[i].Result.ServiceSummary.Restore()
	}
	child := report.Usage{}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		child = report.FromRusage(ru)
	}
	storeBytes, _ := dirBytes(filepath.Join(work, "node", "store"))
	ipfsBytes, _ := dirBytes(filepath.Join(work, "node", "ipfs"))
	printResults(out, loadStart, *size, *storeKind, chain, buildWall, limit, res, child, samples, storeBytes, ipfsBytes)
	for state, n := range res.Checked {
		if res.Matched[state] != n {
			return fmt.Errorf("sampled DIDs: %d of %d expected %s resolved so (first mismatch: %s)", res.Matched[state], n, state, res.Mismatch)
		}
	}
	if len(res.Checked) == 0 {
		return fmt.Errorf("no DID was checked")
	}
	for _, l := range res.Loads {
		if l.Result.Status[http.StatusOK] != l.Result.Summary.Count || l.Result.Errors > 0 {
			return fmt.Errorf("resolution load (%s): not every request answered 200: %v, %d errors (%s)", l.Label, l.Result.Status, l.Result.Errors, l.Result.FirstErr)
		}
	}
	return nil
}

func deadline(ctx context.Context) time.Time {
	d, ok := ctx.Deadline()
	if !ok {
		return time.Now().Add(time.Hour)
	}
	return d
}

func printResults(out io.Writer, loadStart string, size int, storeKind string, chain *chainbuild.Chain, buildWall time.Duration, limit cryptoLimit,
	res nodeResult, child report.Usage, samples *sampler, storeBytes, ipfsBytes int64) {
	ops := chain.Total()
	t := report.Table{Title: "bench/sync results"}
	t.Environment(loadStart)
	wiring := res.Wiring
	if wiring == "components" {
		wiring += " (the node's observer and file processor wired by the benchmark; value time locks resolved by ionrules.ResolveLock)"
	}
	t.Add("node wiring", "%s", wiring)
	t.Add("store", "%s", map[string]string{"pebble": "embedded Pebble", "ferretdb": "MongoDB store on an embedded FerretDB 1.24 (SQLite), in the parent process",
		"mongodb": "MongoDB store (-mongodb-uri)"}[storeKind])
	lock := "no value time lock (batches within ION's 100-operation limit)"
	if len(chain.Locks) > 0 {
		lock = fmt.Sprintf("%d value time locks of %d sats, the first in block %d (a lock lasts 150 blocks on regtest)", len(chain.Locks), chain.Locks[0].Amount, chain.LockHeight)
	}
	t.Add("chain", "%d operations (%s) in %d batches of up to %d, blocks %d..%d, %s",
		ops, byType(chain.Ops), len(chain.Anchors), size, chain.FirstBlock, chain.Tip, lock)
	t.Add("chain build: requests + batch files summed over the builders (wall time of the whole build)", "%s (%s)",
		chain.BuildTime.Round(time.Millisecond), buildWall.Round(time.Millisecond))
	sync := time.Duration(res.SyncSeconds * float64(time.Second))
	t.Add("sync wall time (node start → last operation stored)", "%s", sync.Round(time.Millisecond))
	t.Add("ingest rate", "%.0f ops/s", float64(ops)/res.SyncSeconds)
	t.Add("operations ingested (by type)", "%v", res.Ingested)
	t.Add("transactions (by outcome)", "%v", res.Transactions)
	t.Add("node CPU during sync", "%.1f s (%.0f %% of one core)", res.SyncCPU, 100*res.SyncCPU/res.SyncSeconds)
	t.Add("node time runnable but waiting for a CPU during sync (machine shared)", "%.1f s", res.SyncRunQueueWait)
	t.Add("node peak RSS after sync (VmHWM; target < 1 GiB)", "%s", report.MiB(res.SyncHWM))
	if storeKind == "pebble" {
		t.Add("store on disk after the node closed (node/store), per operation", "%s, %.0f bytes/op", report.MiB(storeBytes), float64(storeBytes)/float64(ops))
		t.Add("node's IPFS blockstore (the batch files it fetched), per operation", "%s, %.0f bytes/op", report.MiB(ipfsBytes), float64(ipfsBytes)/float64(ops))
	}
	for i, l := range res.Loads {
		if i == 1 {
			t.Add("sampled DIDs checked between the two load runs", "see below")
		}
		r := l.Result
		t.Add(fmt.Sprintf("open loop %.0f req/s for %s, %s: latency from when each request was due", l.Rate, l.Duration, l.Label), "%s", r.Summary)
		t.Add("  latency from actual send; status codes, transport errors", "%s; %v, %d", r.ServiceSummary, r.Status, r.Errors)
		t.Add("  node CPU; time runnable but waiting for a CPU: node, load generator", "%.1f s (%.0f %% of one core); %.1f s, %s",
			l.CPU, 100*l.CPU/r.Elapsed.Seconds(), l.Wait, r.RunQueueWait.Round(time.Millisecond))
	}
	var checked, matched []string
	for _, state := range []string{finalCreated, finalUpdated, finalRecovered, finalDeactivated} {
		if n := samples.seen[state]; n > 0 {
			checked = append(checked, fmt.Sprintf("%s %d of %d", state, res.Checked[state], n))
			matched = append(matched, fmt.Sprintf("%s %d", state, res.Matched[state]))
		}
	}
	t.Add("sampled DIDs checked (every "+fmt.Sprint(samples.every)+"th of each final state), by expected state", "%s", strings.Join(checked, ", "))
	t.Add("first resolution of the sample (states computed, signatures' verdicts read)", "%.2f s = %.0f DIDs/s, %.1f CPU s; resolved as expected: %s",
		res.ResolveSecs, float64(sum(intsToFloats(res.Checked)))/res.ResolveSecs, res.ResolveCPU, strings.Join(matched, ", "))
	t.Add("node process total: CPU, peak RSS (getrusage)", "%.1f s, %s", child.CPU().Seconds(), report.MiB(child.MaxRSS))
	lim := limit.rate(chain.Ops)
	t.Add("single-core limit, this mix", "%.0f ops/s (per op: create %s, update %s, recover %s, deactivate %s; parse + validate + apply; %s)", lim,
		limit.Create.Round(10*time.Nanosecond), limit.Update.Round(10*time.Nanosecond), limit.Recover.Round(10*time.Nanosecond),
		limit.Deactivate.Round(10*time.Nanosecond), limit.Clock)
	t.Add("ingest vs limit (target ≥ 50 %)", "%.0f %%", 100*float64(ops)/res.SyncSeconds/lim)
	perCPU := float64(ops) / res.SyncCPU
	t.Add("ingest per CPU-second of the node (independent of the machine's other load)", "%.0f ops (%.1f µs CPU per operation): %.0f %% of the limit",
		perCPU, 1e6/perCPU, 100*perCPU/lim)
	verify := float64(time.Second) / float64(limit.Verify)
	t.Add("bare ES256K verify on one core (a signature per operation)", "%.0f/s (%s each); ingest is %.0f %% of it", verify,
		limit.Verify.Round(10*time.Nanosecond), 100*float64(ops)/res.SyncSeconds/verify)
	t.Add("state hash", "%s", res.StateHash)
	t.Print(out)
}

func byType(ops map[sidetree.OperationType]int) string {
	var parts []string
	for _, t := range []sidetree.OperationType{sidetree.OpCreate, sidetree.OpUpdate, sidetree.OpRecover, sidetree.OpDeactivate} {
		if ops[t] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", t, ops[t]))
		}
	}
	return strings.Join(parts, ", ")
}

func intsToFloats(m map[string]int) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = float64(v)
	}
	return out
}

// dirBytes is the size of the files under dir.
func dirBytes(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}
