// Command ionode is the ION node, resolver and verifier in one binary. Run `ionode --help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

// exitError carries the process exit code of a failed command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// Exit codes: 1 for usage and unexpected errors, 2 for invalid input, 3 for a DID that is not found.
const (
	exitInvalidInput = 2
	exitNotFound     = 3
)

func fail(code int, format string, args ...any) error {
	return &exitError{code: code, err: fmt.Errorf(format, args...)}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the CLI and returns the exit code; errors are printed as one line on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCommand(stdout, stderr)
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		msg := err.Error()
		if strings.Contains(msg, "\n") { // cobra's "Did you mean this?" suggestions span lines
			msg = strings.Join(strings.Fields(msg), " ")
		}
		fmt.Fprintln(stderr, "ionode:", msg)
		var ee *exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return 1
	}
	return 0
}

func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "ionode",
		Short:         "ION (Sidetree on Bitcoin) DID node, resolver and verifier",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newDIDCommand(), newKeysCommand(), newServeCommand(os.Getenv), newTestnetCommand(os.Getenv))
	root.AddCommand(newVCCommand(os.Getenv), newRequestCommand(os.Getenv), newDomainCommand(), newHealthCommand(os.Getenv), newDocsCommand(), newStoreCommand())
	return root
}
