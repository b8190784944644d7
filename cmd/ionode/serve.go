package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"

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
			return runDaemon(cmd.Context(), cfg, log)
		},
	}
	bindServeFlags(&cfg, cmd.Flags())
	cmd.Flags().StringVar(&configFile, "config", getenv("ION_CONFIG"), "JSON configuration file (keys are flag names)")
	return cmd
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
