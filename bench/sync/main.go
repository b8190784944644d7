package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ionode/ionode/bench/internal/chainbuild"
	"github.com/ionode/ionode/bench/internal/ferret"
	"github.com/ionode/ionode/bench/internal/report"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sync:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	creates := fs.Int("creates", 20, "batches of creates")
	updates := fs.Int("updates", 1, "batches of updates (of the first DIDs)")
	size := fs.Int("batch", 10_000, "operations per batch (ION's maximum: 10,000)")
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
	if *wiring != "daemon" && *wiring != "components" {
		return fmt.Errorf(`-node must be "daemon" or "components"`)
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
	fmt.Fprintf(out, "building the chain: %d create batches + %d update batches of %d operations…\n", *creates, *updates, *size)
	buildStart := time.Now()
	chain, err := chainbuild.Build(ctx, chainbuild.Config{Dir: work, CreateBatches: *creates, UpdateBatches: *updates, BatchSize: *size, Logger: log})
	if err != nil {
		return err
	}
	defer chain.Close()
	buildWall := time.Since(buildStart)
	suffixFile := filepath.Join(work, "suffixes.txt")
	if err := os.WriteFile(suffixFile, []byte(strings.Join(chain.Suffixes, "\n")), 0o600); err != nil {
		return err
	}
	if *storeKind == "ferretdb" {
		// A separate server, as mongod would be: its CPU and memory are not the node's.
		srv, err := ferret.Start(filepath.Join(work, "ferretdb"))
		if err != nil {
			return err
		}
		defer srv.Stop()
		*mongoURI = srv.URI
	}
	rpc := chain.BTC.RPCConfig()
	s := nodeSpec{
		Wiring: *wiring, RPC: rpc.Host, User: rpc.User, Pass: rpc.Pass, Peers: chain.CAS.Addrs(), Dir: work, MongoURI: *mongoURI,
		Tip: chain.Tip, Expect: chain.Creates + chain.Updates, SuffixFile: suffixFile, Updated: chain.Updated,
		Timeout: time.Until(deadline(ctx)).Seconds(), Verbose: *verbose,
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
	child := report.Usage{}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		child = report.FromRusage(ru)
	}
	printResults(out, loadStart, *size, *storeKind, chain, buildWall, limit, res, child)
	if res.ResolveErrors > 0 || res.UpdatedSeen != chain.Updated {
		return fmt.Errorf("%d DIDs failed to resolve, %d of %d updates visible", res.ResolveErrors, res.UpdatedSeen, chain.Updated)
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

func printResults(out io.Writer, loadStart string, size int, storeKind string, chain *chainbuild.Chain, buildWall time.Duration, limit cryptoLimit, res nodeResult, child report.Usage) {
	ops := chain.Creates + chain.Updates
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
	if chain.LockHeight > 0 {
		lock = fmt.Sprintf("value time lock %d sats in block %d", chain.Lock.Amount, chain.LockHeight)
	}
	t.Add("chain", "%d creates + %d updates = %d operations in %d batches of %d, blocks %d..%d, %s",
		chain.Creates, chain.Updates, ops, len(chain.Anchors), size, chain.FirstBlock, chain.Tip, lock)
	t.Add("chain build (requests + batch files, of the total)", "%s (%s)", chain.BuildTime.Round(time.Millisecond), buildWall.Round(time.Millisecond))
	sync := time.Duration(res.SyncSeconds * float64(time.Second))
	t.Add("sync wall time (node start → last operation stored)", "%s", sync.Round(time.Millisecond))
	t.Add("ingest rate", "%.0f ops/s", float64(ops)/res.SyncSeconds)
	t.Add("operations ingested (by type)", "%v", res.Ingested)
	t.Add("transactions (by outcome)", "%v", res.Transactions)
	t.Add("node CPU during sync", "%.1f s (%.0f %% of one core)", res.SyncCPU, 100*res.SyncCPU/res.SyncSeconds)
	t.Add("node time runnable but waiting for a CPU during sync (machine shared)", "%.1f s", res.SyncRunQueueWait)
	t.Add("node peak RSS after sync (VmHWM)", "%s", report.MiB(res.SyncHWM))
	t.Add("first resolution of every DID (states computed, signatures checked)", "%d DIDs in %.2f s = %.0f DIDs/s, %.1f CPU s; %d updates visible",
		res.Resolved, res.ResolveSecs, float64(res.Resolved)/res.ResolveSecs, res.ResolveCPU, res.UpdatedSeen)
	total := res.SyncSeconds + res.ResolveSecs
	t.Add("ingest + first resolution", "%.0f ops/s", float64(ops)/total)
	t.Add("node process total: CPU, peak RSS (getrusage)", "%.1f s, %s", child.CPU().Seconds(), report.MiB(child.MaxRSS))
	lim := limit.rate(chain.Creates, chain.Updates)
	t.Add("single-core limit, this mix", "%.0f ops/s (create %s, update %s per op; parse + validate + apply; %s)", lim,
		limit.Create.Round(10*time.Nanosecond), limit.Update.Round(10*time.Nanosecond), limit.Clock)
	t.Add("ingest vs limit (target ≥ 50 %)", "%.0f %%", 100*float64(ops)/res.SyncSeconds/lim)
	perCPU := float64(ops) / res.SyncCPU
	t.Add("ingest per CPU-second of the node (independent of the machine's other load)", "%.0f ops (%.1f µs CPU per operation): %.0f %% of the limit",
		perCPU, 1e6/perCPU, 100*perCPU/lim)
	verify := float64(time.Second) / float64(limit.Verify)
	t.Add("bare ES256K verify on one core (a signature per operation)", "%.0f/s (%s each); ingest is %.0f %% of it", verify,
		limit.Verify.Round(10*time.Nanosecond), 100*float64(ops)/res.SyncSeconds/verify)
	t.Add("ingest + first resolution vs limit", "%.0f %%", 100*float64(ops)/total/lim)
	t.Add("state hash", "%s", res.StateHash)
	t.Print(out)
}
