package testnet

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRPCPasswordNotOnCommandLine: btcd's RPC password is in an owner-only file, not in its command
// line, which any local user can read (ps, /proc/<pid>/cmdline).
func TestRPCPasswordNotOnCommandLine(t *testing.T) {
	const pass = "s3cret-rpc-password-for-the-test"
	n := startNode(t, Config{RPCPass: pass})
	cmdline, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(n.cmd.Process.Pid), "cmdline"))
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if strings.Contains(string(cmdline), pass) {
		t.Fatalf("the password is on btcd's command line: %q", cmdline)
	}
	info, err := os.Stat(filepath.Join(n.dataDir, rpcConfigName))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("config file mode %v, want 0600", perm)
	}
	if _, err := n.client.GetBlockCount(); err != nil {
		t.Fatalf("RPC with the password from the file: %v", err)
	}
}
