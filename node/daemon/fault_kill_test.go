package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
	"github.com/ionode/ionode/testnet"
)

// childEnv names the configuration file of a node run as a child process by TestFaultKill.
const childEnv = "IONODE_FAULT_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(runChild(path))
	}
	os.Exit(m.Run())
}

// runChild runs a daemon from a JSON configuration until it is killed, after writing its HTTP address
// next to the configuration.
func runChild(path string) int {
	raw, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var cfg Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	// The log goes to a file the test prints the end of when it fails.
	logFile, err := os.OpenFile(path+".log", os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(logFile, &slog.HandlerOptions{Level: slog.LevelDebug}))
	log.Info("fault test: node process started", "pid", os.Getpid())
	d, err := Start(context.Background(), cfg, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	addr := path + ".addr"
	if err := os.WriteFile(addr+".tmp", []byte(d.Addr()), 0o600); err != nil || os.Rename(addr+".tmp", addr) != nil {
		return 4
	}
	if err := d.Wait(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 5
	}
	return 0
}

// child is the node process of TestFaultKill and TestFaultKillSync.
type child struct {
	t    *testing.T
	cfg  string
	cmd  *exec.Cmd
	base string
	// exited is closed when the process has ended, waitErr then holds how; killed says the test ended it.
	exited  chan struct{}
	waitErr error
	killed  bool
}

func (c *child) start() {
	c.t.Helper()
	c.spawn()
	c.waitUp()
}

// spawn starts the node process without waiting for it to serve.
func (c *child) spawn() {
	c.t.Helper()
	os.Remove(c.cfg + ".addr")
	c.base = ""
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+c.cfg)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlives the test
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		c.waitErr = cmd.Wait()
		close(exited)
	}()
	c.cmd, c.exited, c.killed = cmd, exited, false
}

// logPath is the node process's log file (every start appends to it).
func (c *child) logPath() string { return c.cfg + ".log" }

// note appends a line of the test's own to the node's log, so its tail shows where the kills fell.
func (c *child) note(msg string) {
	f, err := os.OpenFile(c.logPath(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "time=%s msg=%q\n", time.Now().Format(time.RFC3339Nano), "fault test: "+msg)
}

// ended reports whether the process has ended.
func (c *child) ended() bool {
	select {
	case <-c.exited:
		return true
	default:
		return false
	}
}

// address learns where the node serves, once it has written its address file.
func (c *child) address() bool {
	if c.base != "" {
		return true
	}
	addr, err := os.ReadFile(c.cfg + ".addr")
	if err != nil {
		return false
	}
	c.base = "http://" + string(addr)
	return true
}

// waitUp waits until the node process serves HTTP; a process that ends first fails the test. The
// deadline only stops a hung start.
func (c *child) waitUp() {
	c.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for !c.address() {
		if c.ended() {
			c.t.Fatalf("the node exited before serving: %v", c.waitErr)
		}
		if time.Now().After(deadline) {
			c.t.Fatal("child node did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill sends SIGKILL: no deferred function, no Close, no flush runs. A child that exited by itself
// (a component failed) fails the test.
func (c *child) kill() {
	c.t.Helper()
	if c.cmd == nil || c.killed {
		return
	}
	c.killed = true
	if c.ended() {
		c.t.Fatalf("the node exited by itself: %v", c.waitErr)
	}
	if err := c.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		c.t.Fatalf("kill the node: %v", err)
	}
	<-c.exited
	c.note("SIGKILL")
	if c.waitErr == nil || !strings.Contains(c.waitErr.Error(), "killed") {
		c.t.Fatalf("the node exited by itself: %v", c.waitErr)
	}
}

// stop ends the process, if it runs, without judging how it ended (a test that failed already).
func (c *child) stop() {
	if c.cmd == nil || c.killed {
		return
	}
	c.killed = true
	_ = c.cmd.Process.Kill()
	<-c.exited
}

// TestFaultKill runs the node as a child process and kills it with SIGKILL at random moments while it
// takes operations, writes and anchors batches, and observes them; after each kill it restarts on the
// same data directory. In the end every operation is anchored and stored exactly once: the operation
// counts of all anchor transactions on the chain add up to the operations posted, and each DID has one
// operation in the store.
func TestFaultKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and a node process")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	btc := startBitcoin(t, ctx, testnet.Config{})
	node, cfg := writerChild(t, ctx, btc)
	start := time.Now()
	node.start()
	defer node.stop() // a failed check leaves no node running

	var dids []string
	for round := range 6 {
		c := client{t, node.base}
		for range 3 {
			create, _, _ := newCreate(t)
			if status, body := c.post(create.Body.Stringify()); status != 200 {
				t.Fatalf("round %d: create: %d %s", round, status, body)
			}
			dids = append(dids, "did:ion:"+create.DIDSuffix)
		}
		// Kill at a random point of the batch cycle: queued, built, anchored, mined, observed.
		for range 3 {
			if _, err := btc.Generate(ctx, 1); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(rand.IntN(700)) * time.Millisecond)
		}
		node.kill()
		node.start()
	}
	t.Logf("%d operations posted over 6 rounds with a kill each, in %s", len(dids), time.Since(start).Round(time.Millisecond))
	waitPublished(t, ctx, btc, node, cfg.DataDir, dids, 90*time.Second)
	t.Logf("every DID published after %s", time.Since(start).Round(time.Millisecond))
	node.kill()
	// The node is the only copy of its batch files: they must outlive the kills too, or no node that
	// syncs later can resolve these DIDs.
	node.start()
	checkFilesServed(t, ctx, btc, node)
	node.kill()

	anchored := anchoredOperations(t, ctx, btc)
	if anchored != len(dids) {
		diagnoseKill(t, node, btc, cfg.DataDir, dids)
		t.Fatalf("anchor transactions on the chain carry %d operations, %d were posted; the diagnosis is above", anchored, len(dids))
	}
	s, err := pebble.Open(filepath.Join(cfg.DataDir, "store"), pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	for _, did := range dids {
		ops, _, err := s.Operations(ctx, strings.TrimPrefix(did, "did:ion:"))
		if err != nil || len(ops) != 1 {
			t.Fatalf("%s: %d operations stored (%v), want 1", did, len(ops), err)
		}
	}
}

// writerChild funds a new writer key on btc and returns a node process (not started) writing with it
// into a new data directory, with its configuration: a batch every second, each waiting for one
// confirmation, the chain polled every 200 ms.
func writerChild(t *testing.T, ctx context.Context, btc *testnet.Node) (*child, Config) {
	t.Helper()
	dir := t.TempDir()
	keyFile := fundedWriterKey(t, ctx, btc, dir)
	rpc := btc.RPCConfig()
	cfg := DefaultConfig()
	cfg.Network, cfg.Listen, cfg.DataDir = "regtest", "127.0.0.1:0", filepath.Join(dir, "data")
	cfg.BitcoinRPC, cfg.BitcoinUser, cfg.BitcoinPassword = rpc.Host, rpc.User, rpc.Pass
	cfg.IPFSListen = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.WriterKeyFile = keyFile
	cfg.BatchInterval, cfg.BatchConfirmations = time.Second, 1
	cfg.PollInterval, cfg.WriteRatePerIP, cfg.GatewayRatePerIP = 200*time.Millisecond, 0, 0
	node := &child{t: t, cfg: filepath.Join(dir, "config.json")}
	node.configure(cfg)
	return node, cfg
}

// fundedWriterKey writes a new writer key to dir/writer.key and has btc pay it 5 BTC in a mined block;
// it returns the key file.
func fundedWriterKey(t *testing.T, ctx context.Context, btc *testnet.Node, dir string) string {
	t.Helper()
	key, err := anchor.GenerateKey(testnet.Params)
	if err != nil {
		t.Fatal(err)
	}
	wif, _ := key.WIF()
	keyFile := filepath.Join(dir, "writer.key")
	if err := os.WriteFile(keyFile, []byte(wif), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := btc.Fund(ctx, key.Address(), btcutil.Amount(5e8)); err != nil {
		t.Fatal(err)
	}
	if _, err := btc.Generate(ctx, 1); err != nil {
		t.Fatal(err)
	}
	return keyFile
}

// configure writes the configuration the node process starts with next.
func (c *child) configure(cfg Config) {
	c.t.Helper()
	raw, err := json.Marshal(cfg)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(c.cfg, raw, 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// checkFilesServed reads every batch anchored on the chain through the node's gateway, which serves
// its own blockstore only: every file of each batch must be there, and the batch must carry the
// operations its anchor paid for.
func checkFilesServed(t *testing.T, ctx context.Context, btc *testnet.Node, node *child) {
	t.Helper()
	anchors, err := chainAnchors(ctx, btc)
	if err != nil {
		t.Fatal(err)
	}
	r := batch.Reader{Parameters: sidetree.Regtest().Latest(), Fetch: func(uri string, max int) ([]byte, error) {
		status, body := getText(ctx, node.base+"/ipfs/"+uri, int64(max)+1)
		if status != 200 {
			return nil, fmt.Errorf("file %s: the node answers %d %s", uri, status, body)
		}
		return []byte(body), nil
	}}
	for _, a := range anchors {
		ops, err := r.Read(batch.Transaction{Number: uint64(a.Height) << 32, Time: uint64(a.Height), OperationCount: a.Operations, CoreIndexFileURI: a.CoreIndexURI})
		if err != nil || len(ops) != a.Operations {
			t.Errorf("batch of the anchor at height %d (%d operations, core index %s): %d operations read, %v", a.Height, a.Operations, a.CoreIndexURI, len(ops), err)
		}
	}
}

// waitPublished mines a block every 300 ms until every DID resolves as published. When budget or ctx
// runs out it prints what the node, its data directory, its log and the chain hold about the DIDs
// missing (diagnoseKill), then fails.
func waitPublished(t *testing.T, ctx context.Context, btc *testnet.Node, node *child, dataDir string, dids []string, budget time.Duration) {
	t.Helper()
	c := client{t, node.base}
	deadline := time.Now().Add(budget)
	for {
		all := true
		for _, did := range dids {
			if !published(c, did) {
				all = false
				break
			}
		}
		if all {
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			diagnoseKill(t, node, btc, dataDir, dids)
			t.Fatalf("timed out after %s waiting for every DID published (%v); the diagnosis is above", budget, ctx.Err())
		}
		if _, err := btc.Generate(ctx, 1); err != nil && ctx.Err() == nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// anchoredOperations adds up the operation counts of every ION anchor transaction on btcd's chain.
func anchoredOperations(t *testing.T, ctx context.Context, btc *testnet.Node) int {
	t.Helper()
	anchors, err := chainAnchors(ctx, btc)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, a := range anchors {
		total += a.Operations
	}
	return total
}
