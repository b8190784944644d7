package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ionode/ionode/bench/internal/report"
	"github.com/ionode/ionode/interop"
)

func main() {
	if task := os.Getenv(workerEnv); task != "" {
		os.Exit(workerMain(task, os.Stdout, os.Stderr))
	}
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

// sizes are the inputs of every task.
type sizes struct {
	longForm      int // ion-sdk DIDs resolved in long form
	historyLength int // updates of the one DID with a long history
	historyRepeat int // resolutions of that DID per pass (one is too short to time)
	manyDIDs      int // DIDs of the "many" task
	manyUpdates   int // updates of each of them
	batchOps      int // operations in the batch (half creates, half updates)
}

var (
	fullSizes = sizes{longForm: 2000, historyLength: 100, historyRepeat: 20, manyDIDs: 1000, manyUpdates: 10, batchOps: 10_000}
	tinySizes = sizes{longForm: 20, historyLength: 5, historyRepeat: 2, manyDIDs: 10, manyUpdates: 2, batchOps: 200}
)

type options struct {
	sizes
	rounds  int
	passes  int
	dir     string
	interop string
	node    string
	verbose bool
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var o options
	tiny := false
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.BoolVar(&tiny, "tiny", false, "tiny inputs (a test that the command works, not a measurement)")
	fs.IntVar(&o.rounds, "rounds", 3, "rounds; each runs every task on both sides, alternating which side goes first")
	fs.IntVar(&o.passes, "passes", 3, "passes over the input in each process (the first is the cold one)")
	fs.StringVar(&o.dir, "dir", "", "directory for the inputs (default: a temporary directory, removed after)")
	fs.StringVar(&o.interop, "interop", interop.Dir(), "directory with the reference's node_modules (npm ci there)")
	fs.StringVar(&o.node, "node", "node", "Node.js executable")
	fs.BoolVar(&o.verbose, "v", false, "log progress")
	var custom sizes
	fs.IntVar(&custom.longForm, "longform", 0, "long-form DIDs (default 2000; -tiny 20)")
	fs.IntVar(&custom.historyLength, "history", 0, "updates of the DID with a long history (default 100; -tiny 5)")
	fs.IntVar(&custom.historyRepeat, "history-repeat", 0, "resolutions of that DID per pass (default 20; -tiny 2)")
	fs.IntVar(&custom.manyDIDs, "many", 0, "DIDs of the many-DIDs task (default 1000; -tiny 10)")
	fs.IntVar(&custom.manyUpdates, "many-updates", 0, "updates of each of them (default 10; -tiny 2)")
	fs.IntVar(&custom.batchOps, "batch", 0, "operations in the batch (default 10000; -tiny 200)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.sizes = fullSizes
	if tiny {
		o.sizes = tinySizes
	}
	// A size given on the command line replaces the default one.
	for _, f := range []struct{ dst, v *int }{{&o.longForm, &custom.longForm}, {&o.historyLength, &custom.historyLength},
		{&o.historyRepeat, &custom.historyRepeat}, {&o.manyDIDs, &custom.manyDIDs}, {&o.manyUpdates, &custom.manyUpdates},
		{&o.batchOps, &custom.batchOps}} {
		if *f.v > 0 {
			*f.dst = *f.v
		}
	}
	if o.rounds < 1 || o.passes < 2 {
		return fmt.Errorf("need -rounds ≥ 1 and -passes ≥ 2 (one cold pass and at least one warm one)")
	}
	if _, err := os.Stat(filepath.Join(o.interop, "node_modules", "@decentralized-identity", "sidetree")); err != nil {
		return fmt.Errorf("%w: run npm ci in %s (%v)", interop.ErrUnavailable, o.interop, err)
	}
	work, cleanup, err := report.WorkDir(o.dir, "compare")
	if err != nil {
		return err
	}
	defer cleanup()
	log := report.Logger(o.verbose)
	loadAtStart := report.Header(out, "bench/compare: ionode vs the ION reference (@decentralized-identity/sidetree 1.0.6), one core each")
	log.Info("generating inputs", "dir", work)
	if err := writeInputs(ctx, work, o.sizes); err != nil {
		return fmt.Errorf("inputs: %w", err)
	}
	results, err := measure(ctx, o, work, log)
	if err != nil {
		return err
	}
	printResults(out, o, results, loadAtStart)
	return nil
}
