package cas

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killChildEnv names the data directory of a node run as a child process by TestNodePutSurvivesKill.
const killChildEnv = "IONODE_CAS_KILL_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		os.Exit(runKillChild(dir))
	}
	os.Exit(m.Run())
}

// killSizes are the files TestNodePutSurvivesKill puts: the sizes of ION batch files of a few
// operations, each far smaller than the 32 KiB block Pebble writes its log in. (A file of several
// chunks fills blocks, and flushing them can carry the small files put before it to disk: that
// would hide a Put that does not sync.)
var killSizes = []int{1, 300, 4000}

// runKillChild opens a node with the DHT on dir, puts the killSizes files, writes their CIDs to dir/cids, and
// waits to be killed.
func runKillChild(dir string) int {
	ctx := context.Background()
	// With the DHT, Put also records each file for reproviding (a private DHT of one: no peers).
	n, err := OpenNode(ctx, NodeConfig{DataDir: dir, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}, DHT: DHTServer,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var cids []string
	for _, size := range killSizes {
		c, err := n.Put(ctx, pattern(size))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		cids = append(cids, c)
	}
	path := filepath.Join(dir, "cids")
	if err := os.WriteFile(path+".tmp", []byte(strings.Join(cids, "\n")), 0o600); err != nil || os.Rename(path+".tmp", path) != nil {
		return 4
	}
	select {} // until SIGKILL: no Close, no flush
}

// TestNodePutSurvivesKill: a file is durable once Put returns, and so is its record for announcing it
// on the DHT. The batch writer puts a batch's files,
// then anchors the core index file's CID on Bitcoin; if the process is killed after that (before or
// after the batch is observed), the node is the only copy of the files, and a file lost in the crash
// makes the anchored operations unresolvable for every node, for good.
func TestNodePutSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a node process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlives the test
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// A safety net against a hung child, not a speed requirement.
	deadline := time.Now().Add(2 * time.Minute)
	var raw []byte
	for {
		var err error
		if raw, err = os.ReadFile(filepath.Join(dir, "cids")); err == nil {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the node process ended before putting its files: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the node process did not put its files")
		}
	}
	if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	if err := <-exited; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the node process ended by itself: %v", err)
	}

	cids := strings.Split(string(raw), "\n")
	if len(cids) != len(killSizes) {
		t.Fatalf("the node process wrote %d CIDs, want %d", len(cids), len(killSizes))
	}
	n := openTestNode(t, dir)
	roots, err := n.announcedRoots(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string]bool{}
	for _, r := range roots {
		recorded[r.String()] = true
	}
	for i, size := range killSizes {
		if !recorded[cids[i]] {
			t.Errorf("%d-byte file %s: its record for announcing on the DHT was lost in the kill", size, cids[i])
		}
		got, err := n.GetLocal(context.Background(), cids[i], int64(size))
		if err != nil {
			t.Errorf("%d-byte file %s lost in the kill: %v", size, cids[i], err)
			continue
		}
		if !bytes.Equal(got, pattern(size)) {
			t.Errorf("%d-byte file %s changed in the kill", size, cids[i])
		}
	}
}
