package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ionode/ionode/bench/internal/benchnode"
	"github.com/ionode/ionode/bench/internal/childproc"
	"github.com/ionode/ionode/bench/internal/report"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type options struct {
	dids, requests, warmup, slow, conns, bodySize, rounds int
	rate                                                  float64
	slowInterval                                          time.Duration
	dir                                                   string
	verbose                                               bool
	role, url, didFile                                    string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var o options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.IntVar(&o.dids, "dids", 20_000, "DIDs stored in the node")
	fs.IntVar(&o.requests, "requests", 50_000, "requests in the mix")
	fs.IntVar(&o.rounds, "rounds", 2, "times the mix is run (memory is read after each: growth that stops after the first round is caches filling, not a leak)")
	fs.IntVar(&o.warmup, "warmup", 3_000, "requests of the same mix before the 'before' memory reading")
	fs.Float64Var(&o.rate, "rate", 1500, "requests per second (open loop)")
	fs.IntVar(&o.slow, "slow", 100, "slow clients holding connections during the mix")
	fs.DurationVar(&o.slowInterval, "slow-interval", 200*time.Millisecond, "a slow client sends one header byte this often")
	fs.IntVar(&o.conns, "conns", 64, "connections of the resolving client")
	fs.IntVar(&o.bodySize, "body", 256<<10, "size of the oversized POST bodies (the node's limit is 64 KiB)")
	fs.StringVar(&o.dir, "dir", "", "working directory (default: a temporary one, removed at the end)")
	fs.BoolVar(&o.verbose, "v", false, "log the node")
	fs.StringVar(&o.role, "role", "", "internal: loadgen")
	fs.StringVar(&o.url, "url", "", "internal: the node's base URL")
	fs.StringVar(&o.didFile, "did-file", "", "internal: file of DID suffixes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.role == "loadgen" {
		return loadGenerator(ctx, o, out)
	}
	loadStart := report.Header(out, "bench/load: mixed and hostile HTTP load on loopback (issue 10)")
	work, cleanup, err := report.WorkDir(o.dir, "load")
	if err != nil {
		return err
	}
	defer cleanup()
	log := report.Logger(o.verbose)
	dataDir := filepath.Join(work, "node")
	fmt.Fprintf(out, "storing %d DIDs…\n", o.dids)
	suffixes, err := benchnode.Populate(ctx, dataDir, o.dids, log)
	if err != nil {
		return err
	}
	didFile := filepath.Join(work, "dids.txt")
	if err := os.WriteFile(didFile, []byte(strings.Join(suffixes, "\n")), 0o600); err != nil {
		return err
	}
	n, err := benchnode.Serve(ctx, dataDir, benchnode.Options{Writer: true, Logger: log})
	if err != nil {
		return err
	}
	defer n.Close()
	common := []string{"-role", "loadgen", "-url", n.URL(), "-did-file", didFile, "-rate", fmt.Sprint(o.rate),
		"-conns", strconv.Itoa(o.conns), "-body", strconv.Itoa(o.bodySize), "-slow-interval", o.slowInterval.String()}

	fmt.Fprintf(out, "node at %s; warm-up: %d requests…\n", n.URL(), o.warmup)
	settled := benchnode.Settle(ctx, 2*time.Minute)
	fmt.Fprintf(out, "store settled (node idle) after %s\n", settled.Round(100*time.Millisecond))
	if _, err := child(ctx, append(common, "-requests", strconv.Itoa(o.warmup), "-slow", "0")); err != nil {
		return err
	}
	before := settledMemory()
	var (
		res         mixResult
		cpu         report.Usage
		wait        time.Duration
		afterRounds []memory
		laterRounds []string
	)
	for round := 1; round <= max(1, o.rounds); round++ {
		fmt.Fprintf(out, "mix, round %d: %d requests at %.0f/s with %d slow clients…\n", round, o.requests, o.rate, o.slow)
		cpu0, wait0 := report.Self(), report.RunQueueWait()
		r, err := child(ctx, append(common, "-requests", strconv.Itoa(o.requests), "-slow", strconv.Itoa(o.slow)))
		if err != nil {
			return err
		}
		if err := checkExpected(r); err != nil {
			return fmt.Errorf("round %d: %w", round, err)
		}
		if round == 1 {
			res, cpu, wait = r, report.Self().Sub(cpu0), report.RunQueueWait()-wait0
		} else {
			v := r.Classes[valid].Summary
			v.Restore()
			laterRounds = append(laterRounds, fmt.Sprintf("valid resolutions p99 %.3f ms", float64(v.P99)/float64(time.Millisecond)))
		}
		time.Sleep(time.Second) // let the node notice the load generator's connections closing
		afterRounds = append(afterRounds, settledMemory())
	}
	after := afterRounds[0]

	t := report.Table{Title: "bench/load results"}
	t.Environment(loadStart)
	t.Add("node", "node/daemon with a writer key (unfunded), embedded Pebble store, %d DIDs (then %s until compactions were done); per-IP write rate 10/s, burst 20 (daemon default)",
		len(suffixes), settled.Round(100*time.Millisecond))
	t.Add("mix", "%d requests at %.0f/s open loop (%s), %d slow clients", o.requests, o.rate, mixShares(), o.slow)
	total := 0
	for _, k := range classes {
		cr := res.Classes[k]
		total += cr.Sent
		extra := ""
		if cr.Errors > 0 {
			extra = fmt.Sprintf(" (first: %s)", cr.FirstErr)
		}
		t.Add(string(k)+": sent, status codes, transport errors", "%d, %v, %d%s", cr.Sent, cr.Status, cr.Errors, extra)
	}
	v := res.Classes[valid].Summary
	v.Restore()
	t.Add("valid resolutions during the mix: latency", "%s", v)
	t.Add("p99 target < 10 ms", "%s", map[bool]string{true: "met", false: "NOT met"}[v.P99 < 10*time.Millisecond])
	t.Add("slow clients", "%d clients, %d connections, %d dropped by the node after p50 %s (max %s), %d dial errors",
		res.Slow.Clients, res.Slow.Connections, res.Slow.Dropped, res.Slow.HoldP50.Round(time.Millisecond), res.Slow.HoldMax.Round(time.Millisecond), res.Slow.DialErrors)
	t.Add("mix wall time, node CPU", "%s, %.1f s (%.0f %% of one core)", res.Elapsed.Round(time.Millisecond), cpu.CPU().Seconds(), 100*cpu.CPU().Seconds()/res.Elapsed.Seconds())
	t.Add("time runnable but waiting for a CPU (machine shared): node, load generator", "%s, %s", wait.Round(time.Millisecond), res.RunQueueWait.Round(time.Millisecond))
	t.Add("node memory before (after warm-up, GC)", "%s", before)
	t.Add("node memory after round 1 (GC)", "%s", after)
	growth := func(a, b memory) string {
		return fmt.Sprintf("heap in use %+.1f MiB, RSS %+.1f MiB, goroutines %+d",
			float64(b.HeapInuse-a.HeapInuse)/(1<<20), float64(b.RSS-a.RSS)/(1<<20), b.Goroutines-a.Goroutines)
	}
	t.Add("growth", "%s", growth(before, after))
	for i, m := range afterRounds[1:] {
		t.Add(fmt.Sprintf("round %d (same mix): memory after (GC), growth over round %d", i+2, i+1), "%s; %s; %s", laterRounds[i], m, growth(afterRounds[i], m))
	}
	t.Print(out)
	if total != o.requests {
		return fmt.Errorf("%d of %d requests accounted for", total, o.requests)
	}
	return nil
}

// checkExpected fails the run when a class got an answer it must never get.
func checkExpected(res mixResult) error {
	allowed := map[class][]int{
		valid: {http.StatusOK}, badDID: {http.StatusBadRequest, http.StatusNotImplemented}, badBody: {http.StatusBadRequest},
		oversized: {http.StatusRequestEntityTooLarge}, overRate: {http.StatusBadRequest, http.StatusTooManyRequests},
	}
	for k, codes := range allowed {
		for code, n := range res.Classes[k].Status {
			ok := false
			for _, c := range codes {
				ok = ok || c == code
			}
			if !ok {
				return fmt.Errorf("%s: %d answers with status %d", k, n, code)
			}
		}
	}
	if res.Classes[overRate].Status[http.StatusTooManyRequests] == 0 && res.Classes[overRate].Sent > 30 {
		return fmt.Errorf("the over-rate client was never limited: %v", res.Classes[overRate].Status)
	}
	if res.Classes[valid].Errors > 0 || res.Classes[badDID].Errors > 0 {
		return fmt.Errorf("resolution requests failed without an answer: %s", res.Classes[valid].FirstErr+res.Classes[badDID].FirstErr)
	}
	return nil
}

func mixShares() string {
	var parts []string
	for _, k := range classes {
		parts = append(parts, fmt.Sprintf("%d %% %s", share[k], k))
	}
	return strings.Join(parts, ", ")
}

// memory is the node process's memory after a full GC.
type memory struct {
	HeapInuse, HeapAlloc, RSS int64
	Goroutines                int
}

func (m memory) String() string {
	return fmt.Sprintf("heap in use %s (live %s), RSS %s, %d goroutines", report.MiB(m.HeapInuse), report.MiB(m.HeapAlloc), report.MiB(m.RSS), m.Goroutines)
}

func settledMemory() memory {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memory{HeapInuse: int64(ms.HeapInuse), HeapAlloc: int64(ms.HeapAlloc), RSS: report.ReadMemory().RSS, Goroutines: runtime.NumGoroutine()}
}

// child runs the load generator process and reads its result.
func child(ctx context.Context, args []string) (mixResult, error) {
	var res mixResult
	if err := childproc.Run(ctx, args, &res); err != nil {
		return res, fmt.Errorf("load generator: %w", err)
	}
	return res, nil
}

// loadGenerator is the child process: slow clients for the length of the mix, and the mix itself.
func loadGenerator(ctx context.Context, o options, out io.Writer) error {
	raw, err := os.ReadFile(o.didFile)
	if err != nil {
		return err
	}
	suffixes := strings.Fields(string(raw))
	if len(suffixes) == 0 {
		return fmt.Errorf("no DIDs in %s", o.didFile)
	}
	u, err := url.Parse(o.url)
	if err != nil {
		return err
	}
	c := newClients(o.conns)
	defer c.close()
	slowCtx, stopSlow := context.WithCancel(ctx)
	slowDone := make(chan slowResult, 1)
	go func() { slowDone <- slowloris(slowCtx, u.Host, o.slow, o.slowInterval) }()
	wait0 := report.RunQueueWait()
	res, err := runMix(ctx, o.url, suffixes, o.requests, o.rate, o.bodySize, c)
	res.RunQueueWait = report.RunQueueWait() - wait0
	stopSlow()
	res.Slow = <-slowDone
	if err != nil {
		return err
	}
	return json.NewEncoder(out).Encode(res)
}
