package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"

	"github.com/ionode/ionode/bench/internal/childproc"
	"github.com/ionode/ionode/bench/internal/report"
	"github.com/ionode/ionode/exchange"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "exchange:", err)
		os.Exit(1)
	}
}

type options struct {
	issuances, presentations, warmup, conns int
	sign                                    time.Duration
	callbacks, verbose, tiny                bool
	dir, cpuProfile                         string
	gen                                     genOptions
	role                                    string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var o options
	fs := flag.NewFlagSet("exchange", flag.ContinueOnError)
	fs.IntVar(&o.issuances, "issuances", 20_000, "issuance exchanges measured")
	fs.IntVar(&o.presentations, "presentations", 20_000, "presentation exchanges measured")
	fs.IntVar(&o.warmup, "warmup", 500, "exchanges of each flow before its measured run")
	fs.IntVar(&o.conns, "conns", 32, "concurrent wallets (closed loop, one keep-alive connection each)")
	fs.DurationVar(&o.sign, "sign", 3*time.Second, "how long the ES256K signing limit is measured")
	fs.BoolVar(&o.callbacks, "callbacks", true, "requests carry a relying-party callback (the load generator receives them)")
	fs.BoolVar(&o.tiny, "tiny", false, "a few exchanges of each flow: seconds; what CI runs (TestExchangeTiny)")
	fs.StringVar(&o.dir, "dir", "", "working directory (default: a temporary one, removed at the end)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write the node's CPU profile of each measured run to this path prefix (PREFIX-issuance.pprof, …)")
	fs.BoolVar(&o.verbose, "v", false, "log the node")
	fs.StringVar(&o.role, "role", "", "internal: loadgen")
	fs.StringVar(&o.gen.flow, "flow", "", "internal: issuance or presentation")
	fs.StringVar(&o.gen.url, "url", "", "internal: the node's base URL")
	fs.StringVar(&o.gen.admin, "admin", "", "internal: the admin token")
	fs.StringVar(&o.gen.issuerDID, "issuer", "", "internal: the node's issuer DID")
	fs.StringVar(&o.gen.seed, "seed", "", "internal: the holders' key seed")
	fs.StringVar(&o.gen.vcFile, "vc-file", "", "internal: the wallets' credentials")
	fs.IntVar(&o.gen.exchanges, "n", 0, "internal: exchanges to run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.role == "loadgen" {
		o.gen.conns, o.gen.callbacks = o.conns, o.callbacks
		return generate(ctx, o.gen, out)
	}
	if o.tiny {
		o.issuances, o.presentations, o.warmup, o.conns, o.sign = 40, 40, 8, 4, 200*time.Millisecond
	}
	if o.conns < 1 || o.issuances < 1 || o.presentations < 1 || o.warmup < 0 {
		return errors.New("-conns, -issuances and -presentations must be positive")
	}
	loadStart := report.Header(out, "bench/exchange: OpenID4VCI issuance and OpenID4VP presentation exchanges over HTTP on loopback (issue 18)")
	work, cleanup, err := report.WorkDir(o.dir, "exchange")
	if err != nil {
		return err
	}
	defer cleanup()
	n, err := startNode(ctx, filepath.Join(work, "node"), report.Logger(o.verbose))
	if err != nil {
		return err
	}
	defer n.Close()
	fmt.Fprintf(out, "node at %s, issuer and verifier %.60s…\n", n.URL(), n.IssuerDID)

	vcFile := filepath.Join(work, "vcs.json")
	// Wallets of the seed "wallets" present what the warm-up issued to them; the measured issuance run
	// issues to other holders and keeps nothing.
	child := func(flow, seed string, exchanges int) (genResult, error) {
		file := vcFile
		if flow == flowIssuance && seed != "wallets" {
			file = ""
		}
		return runGenerator(ctx, []string{"-role", "loadgen", "-flow", flow, "-url", n.URL(), "-admin", n.AdminToken, "-issuer", n.IssuerDID,
			"-seed", seed, "-vc-file", file, "-n", strconv.Itoa(exchanges), "-conns", strconv.Itoa(o.conns), "-callbacks=" + strconv.FormatBool(o.callbacks)})
	}
	measure := func(flow, seed string, exchanges int) (phase, error) {
		var p phase
		if o.cpuProfile != "" {
			f, err := os.Create(o.cpuProfile + "-" + flow + ".pprof")
			if err != nil {
				return p, err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return p, err
			}
			defer pprof.StopCPUProfile()
		}
		cpu0, load0 := report.Self(), report.LoadAverage()
		r, err := child(flow, seed, exchanges)
		p = phase{gen: r, node: report.Self().Sub(cpu0).CPU(), loadStart: load0, loadEnd: report.LoadAverage()}
		if err != nil {
			return p, err
		}
		return p, check(flow, r, o.callbacks)
	}

	// The warm-up issues the credentials the wallets present later (one per wallet, each with its
	// status-list entry), and warms the node's caches (the issuer's DID, its status list).
	fmt.Fprintf(out, "warm-up: %d issuances…\n", max(o.warmup, o.conns))
	if r, err := child(flowIssuance, "wallets", max(o.warmup, o.conns)); err != nil {
		return err
	} else if err := check(flowIssuance, r, o.callbacks); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	fmt.Fprintf(out, "issuance: %d exchanges on %d wallets…\n", o.issuances, o.conns)
	iss, err := measure(flowIssuance, "issued", o.issuances)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "warm-up: %d presentations…\n", o.warmup)
	if o.warmup > 0 {
		if r, err := child(flowPresentation, "wallets", o.warmup); err != nil {
			return err
		} else if err := check(flowPresentation, r, o.callbacks); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	fmt.Fprintf(out, "presentation: %d exchanges on %d wallets…\n", o.presentations, o.conns)
	pres, err := measure(flowPresentation, "wallets", o.presentations)
	if err != nil {
		return err
	}
	procs := runtime.GOMAXPROCS(0)
	fmt.Fprintf(out, "ES256K signing limit: %s on %d goroutines…\n", o.sign, procs)
	signLoad0 := report.LoadAverage()
	limit, err := signingLimit(ctx, n.Signer, procs, o.sign)
	if err != nil {
		return fmt.Errorf("signing limit: %w", err)
	}

	t := report.Table{Title: "bench/exchange results"}
	t.Environment(loadStart)
	t.Add("node", "node/daemon as `ionode serve` runs it (embedded Pebble store, regtest btcd), in this process; issuer and verifier: one ES256K key of a long-form did:ion; credential configuration %q with a status-list entry; relying-party callbacks: %v", credentialType, o.callbacks)
	t.Add("load generator", "a second process: %d concurrent wallets (closed loop, EdDSA did:key holders) that are also the relying party (admin-token create calls, callback endpoint)", o.conns)
	for _, f := range []struct {
		name, steps string
		p           phase
		target      float64
	}{
		{"issuance", "createIssuanceRequest, offer, token, nonce, credential (proof check, status entry, ES256K VC-JWT)", iss, 500},
		{"presentation", "createPresentationRequest, request object (ES256K), response (EdDSA VP around one ES256K VC; status and resolution cached)", pres, 1000},
	} {
		r := f.p.gen
		rate := float64(r.Exchanges) / r.Wall.Seconds()
		nodeCPU := f.p.node / time.Duration(r.Exchanges)
		t.Add(f.name+": steps", "%s", f.steps)
		t.Add(f.name+": exchanges/s (wall, both processes on this machine)", "%.0f/s (%d in %s; load average %s → %s)", rate, r.Exchanges, r.Wall.Round(time.Millisecond), f.p.loadStart, f.p.loadEnd)
		t.Add(f.name+": CPU per exchange, node / load generator", "%d µs / %d µs", nodeCPU.Microseconds(), (r.CPU / time.Duration(r.Exchanges)).Microseconds())
		t.Add(f.name+": node-only capacity (cores ÷ node CPU per exchange)", "%.0f/s on %d cores", float64(runtime.NumCPU())/nodeCPU.Seconds(), runtime.NumCPU())
		t.Add(f.name+": callbacks received", "%v", r.Callbacks)
		t.Add(f.name+": vs. the ES256K limit ÷ 3 signings per exchange", "%.2f×", rate/(limit/entraSigningsPerFlow))
		t.Add(f.name+": vs. an Entra tenant (2,000 signings per 10 s ÷ 3 = 66.7/s)", "%.1f×", rate/(entraSigningsPerSecond/entraSigningsPerFlow))
		t.Add(f.name+": target ≥ "+strconv.Itoa(int(f.target))+"/s (wall)", "%s", map[bool]string{true: "met", false: "NOT met"}[rate >= f.target])
	}
	t.Add("ES256K signing limit (this run, this key, JWS of a VC-JWT payload)", "%.0f signings/s on %d goroutines (load average %s at start)", limit, procs, signLoad0)
	t.Print(out)
	return nil
}

// phase is one measured run: the load generator's report and the node's CPU time over it.
type phase struct {
	gen                genResult
	node               time.Duration
	loadStart, loadEnd string
}

// check fails a run in which any exchange failed or a callback is missing: a rate of failures is no rate.
func check(flow string, r genResult, callbacks bool) error {
	if r.Failed > 0 {
		return fmt.Errorf("%s: %d of %d exchanges failed; first: %s", flow, r.Failed, r.Exchanges, r.FirstErr)
	}
	if callbacks {
		for _, s := range []exchange.Status{exchange.StatusRetrieved, terminalStatus[flow]} {
			if got := r.Callbacks[s]; got != r.Exchanges || r.BadCallbacks > 0 {
				return fmt.Errorf("%s: %d %s callbacks for %d exchanges (%d malformed)", flow, got, s, r.Exchanges, r.BadCallbacks)
			}
		}
	}
	return nil
}

// runGenerator runs the load generator process (this program re-executed) and reads its result.
func runGenerator(ctx context.Context, args []string) (genResult, error) {
	var res genResult
	if err := childproc.Run(ctx, args, &res); err != nil {
		return res, fmt.Errorf("load generator: %w", err)
	}
	return res, nil
}
