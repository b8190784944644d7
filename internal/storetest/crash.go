package storetest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

// CrashEnv is set in a crash test's child process; its value is the child's configuration (opaque to
// this package: the store's test decides what it means, typically a directory or a database name).
const CrashEnv = "IONODE_STORE_CRASH_CHILD"

// RunCrashChild is the child side: when CrashEnv is set it ingests the stream into the store open
// returns, printing "next <i>" after each transaction, and exits. Call it from a test function named in
// CrashConfig.ChildTest.
func RunCrashChild(t *testing.T, s Stream, open func(config string) (store.Store, error)) {
	config := os.Getenv(CrashEnv)
	if config == "" {
		t.Skip("crash test child: runs only when started by the crash test")
	}
	st, err := open(config)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	err = Ingest(context.Background(), st, s, func(next int) {
		fmt.Fprintf(out, "next %d\n", next)
		out.Flush()
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ingest:", err)
		os.Exit(3)
	}
	st.Close(context.Background())
	fmt.Fprintln(out, "done")
	out.Flush()
	os.Exit(0)
}

// CrashConfig configures RunCrash.
type CrashConfig struct {
	Stream Stream
	Kills  int
	// ChildTest is the test function that calls RunCrashChild; ChildConfig is passed to it.
	ChildTest, ChildConfig string
	// Open opens the store the child writes to, in the parent, between kills; the parent closes it
	// before the next child starts.
	Open func(t *testing.T) store.Store
	// Atomic: the store writes a transaction, its operations and the cursor atomically, so after every
	// kill the log must hold exactly the transactions before the cursor.
	Atomic bool
	Seed   uint64
}

// RunCrash is the parent side: it starts the child (a re-exec of the test binary) Kills times and kills
// it with SIGKILL at random points of the stream, checks the store after each kill, lets a last child
// finish, and requires the final state hash to equal that of the stream ingested without interruption.
func RunCrash(t *testing.T, cfg CrashConfig) {
	t.Helper()
	r := rand.New(rand.NewPCG(cfg.Seed, 1))
	all := cfg.Stream.Operations(cfg.Stream.Transactions)
	// ends[i] is the number of operations in the first i transactions.
	ends := make([]int, cfg.Stream.Transactions+1)
	for i, op := range all {
		ends[op.TransactionNumber/1_000_000-700_000+1] = i + 1
	}
	for i := 1; i < len(ends); i++ {
		ends[i] = max(ends[i], ends[i-1])
	}
	want := ExpectedStateHash(all)
	killed := 0
	last := 0
	for run := 0; run <= cfg.Kills; run++ {
		final := run == cfg.Kills
		// Spread the kill points over the stream: each run aims a little past the previous position.
		span := max(1, (cfg.Stream.Transactions-last)/(cfg.Kills-run+1))
		target := last + 1 + r.IntN(span)
		next, exited := runChild(t, cfg, final, target, time.Duration(r.IntN(3000))*time.Microsecond)
		if !exited {
			killed++
		}
		st := cfg.Open(t)
		ctx := ctxFor(t)
		c, err := st.Cursor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pos, err := ParseCursor(c)
		if err != nil {
			t.Fatal(err)
		}
		if pos < next {
			t.Fatalf("run %d: child reported %d transactions stored, cursor says %d", run, next, pos)
		}
		if cfg.Atomic {
			checkPrefix(t, st, cfg.Stream, all[:ends[pos]], pos)
		}
		last = pos
		if err := st.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if final && !exited {
			t.Fatal("final run did not finish")
		}
	}
	if killed < cfg.Kills*3/4 {
		t.Fatalf("only %d of %d children were killed mid-stream (the rest finished): the test did not test crashes", killed, cfg.Kills)
	}
	st := cfg.Open(t)
	defer st.Close(context.Background())
	got, err := st.StateHash(ctxFor(t))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("state hash after %d crashes = %x, want %x (uninterrupted ingest)", killed, got, want)
	}
	t.Logf("%d kills, final state hash %x matches the uninterrupted ingest", killed, got)
}

// runChild runs one child; unless final, it kills the child once it has stored transaction target
// (plus a small random delay, to land inside the next write). It returns the last position the child
// reported and whether it exited by itself.
func runChild(t *testing.T, cfg CrashConfig, final bool, target int, delay time.Duration) (int, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+cfg.ChildTest+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), CrashEnv+"="+cfg.ChildConfig)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	next, done, killed := 0, false, false
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if line == "done" {
			done = true
			continue
		}
		if n, ok := strings.CutPrefix(line, "next "); ok {
			next, _ = strconv.Atoi(n)
			if !final && !killed && next >= target {
				time.Sleep(delay)
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
			}
		}
	}
	err = cmd.Wait()
	if killed && !done {
		return next, false
	}
	if err != nil || !done {
		t.Fatalf("crash child failed: %v\n%s", err, stderr.String())
	}
	return next, true
}

// checkPrefix requires the store to hold exactly the first n transactions of the stream.
func checkPrefix(t *testing.T, st store.Store, s Stream, ops []sidetree.AnchoredOperation, n int) {
	t.Helper()
	ctx := ctxFor(t)
	got, err := st.StateHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := ExpectedStateHash(ops); !bytes.Equal(got, want) {
		t.Fatalf("after a kill with cursor %d the log does not hold exactly the first %d transactions", n, n)
	}
	last, ok, err := st.LastTransaction(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		if ok {
			t.Fatalf("cursor 0 but transaction %d recorded", last.Number)
		}
		return
	}
	if tx, _ := s.Transaction(n - 1); !ok || last != tx {
		t.Fatalf("cursor %d but last transaction %+v (found %v), want %+v", n, last, ok, tx)
	}
}
