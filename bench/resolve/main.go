package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ionode/ionode/bench/internal/benchnode"
	"github.com/ionode/ionode/bench/internal/loadgen"
	"github.com/ionode/ionode/bench/internal/report"
	"github.com/ionode/ionode/bench/internal/tracewait"
	"github.com/ionode/ionode/node/daemon"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "resolve:", err)
		os.Exit(1)
	}
}

type options struct {
	dids           int
	rate           float64
	duration       time.Duration
	workers        int
	spin           time.Duration
	closedWorkers  int
	gcHeapFloorMB  int
	closedDuration time.Duration
	dir            string
	verbose        bool
	cpuProfile     string
	hold           bool
	heapProfile    string
	traceFile      string
	// load generator (child) only
	role, url, didFile, mode, pathPrefix string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var o options
	fs := flag.NewFlagSet("resolve", flag.ContinueOnError)
	fs.IntVar(&o.dids, "dids", 100_000, "DIDs stored in the node")
	fs.Float64Var(&o.rate, "rate", 1000, "open-loop request rate (requests/s)")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "open-loop run length")
	fs.IntVar(&o.workers, "workers", 64, "open loop: most requests in flight (connections)")
	fs.DurationVar(&o.spin, "spin", 50*time.Microsecond, "open loop: the most the load generator busy-waits before each request is due (it sleeps until then; also capped at a quarter of the interval between requests; 0: sleep only)")
	fs.IntVar(&o.closedWorkers, "closed-workers", 8, "closed loop: concurrent clients")
	fs.IntVar(&o.gcHeapFloorMB, "gc-heap-floor-mb", -1, "the node's --gc-heap-floor-mb (0: no floor; negative: the node's default)")
	fs.DurationVar(&o.closedDuration, "closed-duration", 10*time.Second, "closed-loop run length (0: skip)")
	fs.StringVar(&o.dir, "dir", "", "working directory (default: a temporary one, removed at the end)")
	fs.BoolVar(&o.verbose, "v", false, "log the node")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write the node process's CPU profile of the load runs to this file")
	fs.StringVar(&o.heapProfile, "heapprofile", "", "write the node process's heap profile to this file at the end")
	fs.StringVar(&o.traceFile, "trace", "", "write an execution trace of the node process during the warm open-loop run to this file")
	fs.BoolVar(&o.hold, "hold", false, "populate and start the node, print its URL and the DID file, then serve until interrupted (for other load generators)")
	fs.StringVar(&o.pathPrefix, "path-prefix", "/identifiers/did:ion:", "load generator: the request path before each DID suffix")
	fs.StringVar(&o.role, "role", "", "internal: loadgen (the load generator process)")
	fs.StringVar(&o.url, "url", "", "internal: the node's base URL")
	fs.StringVar(&o.didFile, "did-file", "", "internal: file of DID suffixes")
	fs.StringVar(&o.mode, "mode", "", "internal: open or closed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.role == "loadgen" {
		return loadGenerator(ctx, o, out)
	}
	loadStart := report.Header(out, "bench/resolve: DID resolution over HTTP on loopback, load from a second process")
	work, cleanup, err := report.WorkDir(o.dir, "resolve")
	if err != nil {
		return err
	}
	defer cleanup()
	log := report.Logger(o.verbose)
	dataDir := filepath.Join(work, "node")
	fmt.Fprintf(out, "storing %d DIDs through the observer (batches of %d), materializing their states…\n", o.dids, benchnode.BatchSize)
	t0 := time.Now()
	suffixes, err := benchnode.Populate(ctx, dataDir, o.dids, log)
	if err != nil {
		return err
	}
	populate := time.Since(t0)
	didFile := filepath.Join(work, "dids.txt")
	if err := os.WriteFile(didFile, []byte(strings.Join(suffixes, "\n")), 0o600); err != nil {
		return err
	}
	n, err := benchnode.Serve(ctx, dataDir, benchnode.Options{Logger: log, Configure: func(c *daemon.Config) {
		if o.gcHeapFloorMB >= 0 {
			c.GCHeapFloorMB = o.gcHeapFloorMB
		}
	}})
	if err != nil {
		return err
	}
	defer n.Close()
	fmt.Fprintf(out, "stored in %s; node serving at %s\n", populate.Round(time.Millisecond), n.URL())
	if o.heapProfile != "" {
		defer writeHeapProfile(o.heapProfile)
	}
	settled := benchnode.Settle(ctx, 2*time.Minute)
	fmt.Fprintf(out, "store settled (node idle) after %s\n", settled.Round(100*time.Millisecond))
	if o.hold {
		fmt.Fprintf(out, "holding: node at %s, DID suffixes in %s; load it with\n  %s -role loadgen -url %s -did-file %s -mode open -rate %.0f -duration %s\n",
			n.URL(), didFile, os.Args[0], n.URL(), didFile, o.rate, o.duration)
		<-ctx.Done()
		return nil
	}

	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	t := report.Table{Title: "bench/resolve results"}
	t.Environment(loadStart)
	t.Add("node", "node/daemon, embedded Pebble store, %d DIDs (stored in %s, states materialized; then %s until the store's compactions were done)",
		len(suffixes), populate.Round(time.Millisecond), settled.Round(100*time.Millisecond))
	t.Add("request", "GET /identifiers/did:ion:<suffix>, DIDs drawn uniformly; load generator: a second process on loopback")
	var wait time.Duration // the node's run-queue wait during the last run
	gen := func(mode string, extra ...string) (loadgen.Result, report.Usage, error) {
		before, wait0 := report.Self(), report.RunQueueWait()
		res, err := child(ctx, append([]string{"-role", "loadgen", "-url", n.URL(), "-did-file", didFile, "-mode", mode}, extra...))
		wait = report.RunQueueWait() - wait0
		return res, report.Self().Sub(before), err
	}
	// Two open-loop runs: right after the node started (every DID's blocks come from the files: the
	// first resolutions after a restart) and after one resolution of every DID (a node that has been
	// serving a while). The target is judged on the second, the first is reported beside it.
	openRun := func(label string) (loadgen.Result, error) {
		gc0 := report.ReadGC()
		open, cpu, err := gen("open", "-rate", fmt.Sprint(o.rate), "-duration", o.duration.String(), "-workers", strconv.Itoa(o.workers), "-spin", o.spin.String())
		if err != nil {
			return open, err
		}
		t.Add(fmt.Sprintf("open loop %.0f req/s for %s, %s: latency", o.rate, o.duration, label), "%s", open.Summary)
		t.Add("open loop: latency from actual send (excludes waiting for the sender or a connection)", "%s", open.ServiceSummary)
		t.Add("open loop: status codes, transport errors", "%v, %d", open.Status, open.Errors)
		t.Add("open loop: node CPU", "%.1f s (%.0f %% of one core)", cpu.CPU().Seconds(), 100*cpu.CPU().Seconds()/open.Elapsed.Seconds())
		t.Add("open loop: time runnable but waiting for a CPU (machine shared): node, load generator", "%s, %s",
			wait.Round(time.Millisecond), open.RunQueueWait.Round(time.Millisecond))
		t.Add("open loop: CPU per request: node, load generator (its event loop thread; of which spinning)", "%s, %s (%s; %s)",
			perRequest(cpu.CPU(), open.Sent), perRequest(open.CPU, open.Sent), perRequest(open.Dispatcher.CPU, open.Sent), perRequest(open.Dispatcher.Spun, open.Sent))
		gc := report.ReadGC().Sub(gc0)
		t.Add("open loop: node's garbage collector", "%s", gc)
		t.Add("open loop: node's goroutines waiting, runnable, for a thread (runtime/metrics)", "%s", gc.Scheduling())
		t.Add("open loop: node's heap allocation per request (runtime/metrics; the whole process)", "%s", gc.PerRequest(open.Sent))
		t.Add("open loop: how late the load generator sent (from the due time)", "p50 %s, p99 %s, p99.9 %s, max %s",
			ms(open.Dispatcher.Late.P50), ms(open.Dispatcher.Late.P99), ms(open.Dispatcher.Late.P999), ms(open.Dispatcher.Late.Max))
		if open.Status[http.StatusOK] != open.Summary.Count || open.Errors > 0 {
			return open, fmt.Errorf("open loop: not every request answered 200: %v, %d errors (%s)", open.Status, open.Errors, open.FirstErr)
		}
		return open, nil
	}
	if _, err := openRun("cold (node just started)"); err != nil {
		return err
	}
	warm, _, err := gen("warm", "-workers", strconv.Itoa(o.closedWorkers))
	if err != nil {
		return err
	}
	t.Add("warm-up", "every DID resolved once in %s", warm.Elapsed.Round(100*time.Millisecond))
	stopTrace := func() {}
	if o.traceFile != "" {
		if stopTrace, err = startTrace(o.traceFile); err != nil {
			return err
		}
	}
	open, err := openRun("warm (every DID resolved once)")
	stopTrace()
	if err != nil {
		return err
	}
	if o.traceFile != "" {
		waits, err := readTrace(o.traceFile)
		if err != nil {
			return err
		}
		t.Add("warm run's trace (the node): mark phases, goroutines' waits for a thread inside and outside them", "%s", waits)
	}
	t.Add(fmt.Sprintf("p99 target < 2 ms at ≥ 1,000 req/s (warm run at %.0f req/s)", o.rate), "%s", verdict(open.Summary.P99 < 2*time.Millisecond && o.rate >= 1000))
	if o.closedDuration > 0 {
		closed, cpu, err := gen("closed", "-workers", strconv.Itoa(o.closedWorkers), "-duration", o.closedDuration.String())
		if err != nil {
			return err
		}
		t.Add(fmt.Sprintf("closed loop %d clients for %s: throughput, latency", o.closedWorkers, o.closedDuration), "%s", closed.Summary)
		t.Add("closed loop: status codes, transport errors", "%v, %d", closed.Status, closed.Errors)
		t.Add("closed loop: node CPU", "%.1f s (%.0f %% of one core)", cpu.CPU().Seconds(), 100*cpu.CPU().Seconds()/closed.Elapsed.Seconds())
		t.Add("closed loop: time waiting for a CPU: node, load generator", "%s, %s", wait.Round(time.Millisecond), closed.RunQueueWait.Round(time.Millisecond))
		if closed.Status[http.StatusOK] != closed.Summary.Count {
			return fmt.Errorf("closed loop: not every answer was 200: %v", closed.Status)
		}
	}
	mem := report.ReadMemory()
	t.Add("node process: RSS, peak RSS (incl. the populate step)", "%s, %s", report.MiB(mem.RSS), report.MiB(mem.HWM))
	t.Print(out)
	return nil
}

// startTrace starts the runtime execution tracer writing to path; the returned func stops it.
func startTrace(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := trace.Start(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { trace.Stop(); f.Close() }, nil
}

// readTrace reads the goroutines' waits for a thread from a trace file.
func readTrace(path string) (tracewait.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return tracewait.Result{}, err
	}
	defer f.Close()
	return tracewait.Read(bufio.NewReader(f))
}

// writeHeapProfile writes the live heap after a collection, so the profile shows what stays.
func writeHeapProfile(path string) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "heap profile:", err)
		return
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "heap profile:", err)
	}
}

// perRequest formats d divided over n requests in microseconds.
func perRequest(d time.Duration, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f µs", float64(d)/float64(n)/float64(time.Microsecond))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// child runs the load generator process and reads its result.
func child(ctx context.Context, args []string) (loadgen.Result, error) {
	var res loadgen.Result
	exe, err := os.Executable()
	if err != nil {
		return res, err
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	// GOGC is for the node (this process): a load generator collecting on another schedule would make
	// runs with different node settings differ in the generator too.
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "GOGC=") })
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return res, fmt.Errorf("load generator: %w", err)
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return res, fmt.Errorf("load generator output %q: %w", stdout.String(), err)
	}
	res.Summary.Restore()
	res.ServiceSummary.Restore()
	res.Dispatcher.Late.Restore()
	return res, nil
}

// loadGenerator is the child process: it loads the node and prints its Result as JSON.
func loadGenerator(ctx context.Context, o options, out io.Writer) error {
	res, err := loadgen.DIDs{URL: o.url, PathPrefix: o.pathPrefix, DIDFile: o.didFile, Mode: o.mode, Rate: o.rate,
		Duration: o.duration, Workers: o.workers, Spin: o.spin}.Run(ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(out).Encode(res)
}
