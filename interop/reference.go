package interop

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
)

// ErrUnavailable means the reference packages are not installed (run `npm ci` in the interop directory).
var ErrUnavailable = errors.New("ION reference packages not installed")

// Reference is a running reference.mjs process. Calls are serialized.
type Reference struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    *bufio.Reader
	mu     sync.Mutex
	nextID int
}

// Dir is the directory holding reference.mjs and node_modules.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// Start starts the reference process. It returns ErrUnavailable when node or the npm packages are missing.
func Start(ctx context.Context) (*Reference, error) {
	dir := Dir()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@decentralized-identity", "sidetree")); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	cmd := exec.CommandContext(ctx, node, "reference.mjs")
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start reference: %w", err)
	}
	return &Reference{cmd: cmd, stdin: stdin, out: bufio.NewReaderSize(stdout, 1<<20)}, nil
}

// Call runs one command of reference.mjs and decodes its result into result.
func (r *Reference) Call(cmd string, args, result any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nextID++
	req, err := json.Marshal(map[string]any{"id": r.nextID, "cmd": cmd, "args": args})
	if err != nil {
		return err
	}
	if _, err := r.stdin.Write(append(req, '\n')); err != nil {
		return fmt.Errorf("reference %s: %w", cmd, err)
	}
	line, err := r.out.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("reference %s: %w", cmd, err)
	}
	var resp struct {
		ID     int             `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  string          `json:"error"`
	}
	if err := json.Unmarshal(line, &resp); err != nil {
		return fmt.Errorf("reference %s: bad response: %w", cmd, err)
	}
	if resp.Error != "" {
		return fmt.Errorf("reference %s: %s", cmd, resp.Error)
	}
	if resp.ID != r.nextID {
		return fmt.Errorf("reference %s: response id %d, want %d", cmd, resp.ID, r.nextID)
	}
	return json.Unmarshal(resp.Result, result)
}

// Close stops the process.
func (r *Reference) Close() error {
	r.stdin.Close()
	return r.cmd.Wait()
}
