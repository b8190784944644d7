// Package childproc runs the helper process of a whole-system benchmark: the benchmark's own executable
// re-executed with other arguments (a load generator, say), which prints one JSON result on stdout.
// Running the helper apart keeps its CPU time out of the measured process's.
package childproc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// Run starts this executable with args, waits for it and decodes its stdout into result. Its stderr
// goes to this process's.
func Run(ctx context.Context, args []string, result any) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", args, err)
	}
	if err := json.Unmarshal(stdout.Bytes(), result); err != nil {
		return fmt.Errorf("output %q: %w", stdout.String(), err)
	}
	return nil
}

// AsChild lets a test binary play its benchmark's helper: when args (os.Args) are a helper's ("-role"
// first), it runs main with them and exits; otherwise it returns and the tests run.
func AsChild(args []string, main func(ctx context.Context, args []string, out io.Writer) error) {
	if len(args) < 3 || args[1] != "-role" {
		return
	}
	if err := main(context.Background(), args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "helper process:", err)
		os.Exit(1)
	}
	os.Exit(0)
}
