// Package nodetest runs Node.js scripts that cross-check ionode against independent JavaScript
// libraries (npm packages installed by `npm ci` in the script's directory, as .ci/run does).
package nodetest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Require skips the test unless node is installed and dir/node_modules holds module. In CI (CI is set)
// it fails instead: a cross-check must not vanish silently.
func Require(t testing.TB, dir, module string) {
	t.Helper()
	_, err := os.Stat(filepath.Join(dir, "node_modules", module))
	_, nodeErr := exec.LookPath("node")
	if err == nil && nodeErr == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("this test needs node and `npm ci` in %s (CI is set): %v %v", dir, err, nodeErr)
	}
	t.Skipf("node or %s/node_modules missing: run `npm ci` in %s", dir, dir)
}

// RunJSON runs `node script` in dir with env added to the environment, writes in as JSON on its stdin
// and decodes its stdout into out. The script gets two minutes.
func RunJSON(t testing.TB, dir, script string, env []string, in, out any) {
	t.Helper()
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = bytes.NewReader(data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, stderr.String())
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("node %s output %q: %v\n%s", script, stdout, err, stderr.String())
	}
}
