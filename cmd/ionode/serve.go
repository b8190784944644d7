package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ionode/ionode/node/daemon"
)

func newServeCommand(getenv func(string) string) *cobra.Command {
	cfg := defaultServeConfig()
	var configFile string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the ION node: follow Bitcoin, read IPFS, resolve DIDs, write operations",
		Long: `Run the ION node. Every flag can also be set with an ION_ environment variable (--bitcoin-rpc is
ION_BITCOIN_RPC) or in a JSON file given with --config whose keys are the flag names; a flag on the
command line wins over the environment, which wins over the file. The writer key can also be given as
ION_WRITER_KEY (hex or WIF), which wins over --writer-key-file; key files must be owner-only (chmod 600).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applySources(cmd.Flags(), configFile, getenv); err != nil {
				return fail(exitInvalidInput, "%v", err)
			}
			cfg.WriterKey = getenv(daemon.WriterKeyEnv) // environment only: a flag would show in ps
			if _, err := cfg.Validate(); err != nil {
				return fail(exitInvalidInput, "%v", err)
			}
			log, err := newLogger(cmd.ErrOrStderr(), cfg.LogLevel, cfg.LogFormat)
			if err != nil {
				return fail(exitInvalidInput, "%v", err)
			}
			if !cfg.ReadOnly { // a read-only replica keeps nothing in --data-dir
				if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
					return fmt.Errorf("data directory: %w", err)
				}
				unlock, err := lockDir(cfg.DataDir)
				if err != nil {
					return err
				}
				defer unlock()
			}
			if err := checkFiles(cmd.Flags(), "writer-key-file", "bitcoin-cert", "bitcoin-cookie", "issuer-key-file", "trust-policy-file", "did-web-ca-file"); err != nil {
				return err
			}
			if err := checkListen(cfg.Listen); err != nil {
				return err
			}
			return runDaemon(cmd.Context(), cfg, log)
		},
	}
	bindServeFlags(&cfg, cmd.Flags())
	cmd.Flags().StringVar(&configFile, "config", getenv("ION_CONFIG"), "JSON configuration file (keys are flag names)")
	return cmd
}

// checkListen fails fast, before the store, IPFS and Bitcoin are opened, when the HTTP address cannot
// be bound: a new user's most common mistake is a second node on the same port.
func checkListen(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fail(1, "--listen %s: address already in use (another ionode running? choose another with --listen or ION_LISTEN)", addr)
		}
		var op *net.OpError
		if errors.As(err, &op) && op.Err != nil {
			err = op.Err
		}
		return fail(1, "--listen %s: %v", addr, err)
	}
	return l.Close()
}

// checkFiles fails fast when a file the flags name cannot be read, rather than after the store, IPFS
// and Bitcoin are up.
func checkFiles(f *pflag.FlagSet, flags ...string) error {
	for _, name := range flags {
		fl := f.Lookup(name)
		if fl == nil || fl.Value.String() == "" {
			continue
		}
		file, err := os.Open(fl.Value.String())
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return fail(exitInvalidInput, "--%s %s: %v", name, fl.Value.String(), err)
		}
		file.Close()
	}
	return nil
}

// runDaemon runs the node until ctx ends (Ctrl-C) or a component fails.
func runDaemon(ctx context.Context, cfg daemon.Config, log *slog.Logger) error {
	d, err := daemon.Start(ctx, cfg, log)
	if err != nil {
		return err
	}
	runErr := d.Wait(ctx)
	closeCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	closeErr := d.Close(closeCtx)
	if runErr != nil {
		return runErr
	}
	return closeErr
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	if strings.EqualFold(format, "json") {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}
