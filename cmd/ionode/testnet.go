package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/spf13/cobra"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/node/daemon"
	"github.com/ionode/ionode/testnet"
)

type testnetOptions struct {
	dataDir, listen string
	reset           bool
	mineInterval    time.Duration
	logLevel        string
	p2pOnly         bool
	// credentials are serve's credential settings (issuer, verifier, admin token…), so that the wallet
	// exchanges run against a private network too.
	credentials daemon.CredentialConfig
}

func newTestnetCommand(getenv func(string) string) *cobra.Command {
	o := testnetOptions{dataDir: filepath.Join(daemon.DefaultConfig().DataDir, "testnet"), listen: "127.0.0.1:3000", credentials: daemon.DefaultConfig().Credentials}
	cmd := &cobra.Command{
		Use:   "testnet",
		Short: "Run a private ION network: btcd regtest, a funded writer and a node, in one directory",
		Long: `Run a private ION network on Bitcoin regtest for development: btcd (built from the Go module this
ionode pins), a writer key funded with regtest coins, and a node with the embedded store and IPFS node.
A block is mined as soon as a transaction waits, so an operation is anchored within seconds. Everything
lives in --data-dir and resumes after a restart; --reset starts from scratch.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applySources(cmd.Flags(), "", getenv); err != nil {
				return fail(exitInvalidInput, "%v", err)
			}
			return runTestnet(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.dataDir, "data-dir", o.dataDir, "directory of the network (chain, store, IPFS, keys)")
	f.StringVar(&o.listen, "listen", o.listen, "HTTP listen address of the node")
	f.BoolVar(&o.reset, "reset", false, "delete the network's data first")
	f.DurationVar(&o.mineInterval, "mine-interval", 30*time.Second, "also mine a block this often (0: only when a transaction waits)")
	f.StringVar(&o.logLevel, "log-level", "info", "debug, info, warn or error")
	f.BoolVar(&o.p2pOnly, "p2p-only", false, "the node uses no Bitcoin RPC: it follows btcd as a P2P peer (--bitcoin-peers), verifying proof of work, and broadcasts its anchors as tx messages")
	bindCredentialFlags(&o.credentials, f)
	noEnv(f, "reset") // a variable left in a shell must not wipe the network on every start
	return cmd
}

func runTestnet(ctx context.Context, o testnetOptions, stdout, stderr io.Writer) error {
	log, err := newLogger(stderr, o.logLevel, "text")
	if err != nil {
		return fail(exitInvalidInput, "%v", err)
	}
	if o.reset {
		if err := os.RemoveAll(o.dataDir); err != nil {
			return fmt.Errorf("--reset: %w", err)
		}
	}
	if err := os.MkdirAll(o.dataDir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	unlock, err := lockDir(o.dataDir)
	if err != nil {
		return err
	}
	defer unlock()
	if err := checkListen(o.listen); err != nil {
		return err
	}

	start := time.Now()
	fmt.Fprintln(stderr, "starting btcd (regtest); the first run builds it from its Go module…")
	btc, err := testnet.Start(ctx, testnet.Config{DataDir: filepath.Join(o.dataDir, "btcd"), ListenPeer: o.p2pOnly, Logger: log.With("component", "btcd")})
	if err != nil {
		return fmt.Errorf("start btcd: %w", err)
	}
	defer btc.Stop()

	keyFile := filepath.Join(o.dataDir, "writer.key")
	key, created, err := loadOrCreateWriterKey(keyFile)
	if err != nil {
		return err
	}
	if created {
		if _, err := btc.Fund(ctx, key.Address(), btcutil.Amount(50e8)); err != nil {
			return fmt.Errorf("fund the writer: %w", err)
		}
		if _, err := btc.Generate(ctx, 1); err != nil {
			return err
		}
	}

	rpc := btc.RPCConfig()
	cfg := daemon.DefaultConfig()
	cfg.Network = "regtest"
	cfg.Listen = o.listen
	cfg.DataDir = filepath.Join(o.dataDir, "node")
	cfg.BitcoinRPC, cfg.BitcoinUser, cfg.BitcoinPassword = rpc.Host, rpc.User, rpc.Pass
	if o.p2pOnly {
		// btcd's RPC stays the harness's (funding, mining); the node itself speaks only P2P.
		cfg.BitcoinRPC, cfg.BitcoinUser, cfg.BitcoinPassword = "", "", ""
		cfg.BitcoinPeers = []string{btc.PeerAddr()}
	}
	cfg.IPFSListen = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.WriterKeyFile = keyFile
	cfg.BatchInterval = 2 * time.Second
	cfg.BatchConfirmations = 1
	cfg.PollInterval = 500 * time.Millisecond
	cfg.ReadyLagBlocks = 1
	cfg.WriteRatePerIP = 0
	cfg.LogLevel = o.logLevel
	cfg.Credentials = o.credentials
	d, err := daemon.Start(ctx, cfg, log)
	if err != nil {
		return err
	}
	mineCtx, stopMining := context.WithCancel(ctx)
	go automine(mineCtx, btc, o.mineInterval, log)
	waitReady(ctx, d)
	printBanner(stdout, d.Addr(), key.Address(), time.Since(start))

	runErr := d.Wait(ctx)
	stopMining()
	closeCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return errors.Join(runErr, d.Close(closeCtx))
}

// lockDir takes an exclusive lock on the directory so two nodes or testnets never share (and corrupt) it.
func lockDir(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, "ionode.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fail(1, "%s is in use by another running ionode: stop it, or choose another --data-dir", dir)
	}
	return func() { f.Close() }, nil
}

func loadOrCreateWriterKey(path string) (*anchor.Key, bool, error) {
	if _, err := os.Stat(path); err == nil {
		k, err := anchor.LoadKey(path, testnet.Params)
		return k, false, err
	}
	k, err := anchor.GenerateKey(testnet.Params)
	if err != nil {
		return nil, false, err
	}
	wif, err := k.WIF()
	if err != nil {
		return nil, false, err
	}
	if err := os.WriteFile(path, []byte(wif+"\n"), 0o600); err != nil {
		return nil, false, fmt.Errorf("write the writer key: %w", err)
	}
	return k, true, nil
}

// automine mines a block as soon as a transaction waits in the mempool, and every interval.
func automine(ctx context.Context, btc *testnet.Node, interval time.Duration, log *slog.Logger) {
	poll := time.NewTicker(300 * time.Millisecond)
	defer poll.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-poll.C:
		}
		waiting, err := btc.Client().GetRawMempool()
		if err != nil {
			continue
		}
		if len(waiting) > 0 || (interval > 0 && time.Since(last) >= interval) {
			if _, err := btc.Generate(ctx, 1); err != nil {
				log.Warn("mining failed", "err", err)
				continue
			}
			last = time.Now()
		}
	}
}

func waitReady(ctx context.Context, d *daemon.Daemon) {
	for ctx.Err() == nil && d.Syncer != nil && d.Syncer.Ready(ctx) != nil {
		time.Sleep(100 * time.Millisecond)
	}
}

func printBanner(w io.Writer, addr, writer string, took time.Duration) {
	url := "http://" + addr
	fmt.Fprintf(w, `
ionode testnet ready in %.1fs (Ctrl-C to stop)

  ION API           %[2]s/identifiers/{did}   POST %[2]s/operations
  Universal Resolver %[2]s/1.0/identifiers/{did}
  health, metrics   %[2]s/healthz  %[2]s/readyz  %[2]s/metrics
  writer wallet     %[3]s (regtest)

Try:
  ionode did create --network regtest --out ./keys --node %[2]s --wait 30s
  ionode did resolve <DID> --node %[2]s
  ionode did update <DID> --keys ./keys --add-service hub,LinkedDomains,https://hub.example.com --node %[2]s --wait 30s

`, took.Seconds(), url, writer)
}
