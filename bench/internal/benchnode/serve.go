package benchnode

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/node/daemon"
	"github.com/ionode/ionode/testnet"
)

// Node is a running daemon and the btcd it follows.
type Node struct {
	Daemon *daemon.Daemon
	BTC    *testnet.Node
}

// Options adjust the daemon's configuration beyond what the benchmarks need by default.
type Options struct {
	// Writer: give the node a writer key so POST /operations is served (validation, rate limits,
	// body limits); the key is not funded, so nothing is ever anchored.
	Writer bool
	// WriteRatePerIP is the per-client-IP rate of POST /operations (node/daemon's default when 0).
	WriteRatePerIP float64
	Logger         *slog.Logger
	// Configure, when set, adjusts the daemon's configuration last (keys, credential settings).
	Configure func(*daemon.Config)
}

// Serve starts btcd and node/daemon over dataDir, listening on a loopback port.
func Serve(ctx context.Context, dataDir string, o Options) (_ *Node, err error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	n := &Node{}
	defer func() {
		if err != nil {
			n.Close()
		}
	}()
	if n.BTC, err = testnet.Start(ctx, testnet.Config{Logger: log}); err != nil {
		return nil, err
	}
	cfg := daemon.DefaultConfig()
	cfg.Network = "regtest"
	cfg.Listen = "127.0.0.1:0"
	cfg.DataDir = dataDir
	rpc := n.BTC.RPCConfig()
	cfg.BitcoinRPC, cfg.BitcoinUser, cfg.BitcoinPassword = rpc.Host, rpc.User, rpc.Pass
	cfg.IPFSListen = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.PollInterval = time.Second
	cfg.LogLevel = "warn"
	if o.WriteRatePerIP > 0 {
		cfg.WriteRatePerIP = o.WriteRatePerIP
	}
	if o.Writer {
		key, err := anchor.GenerateKey(testnet.Params)
		if err != nil {
			return nil, err
		}
		wif, err := key.WIF()
		if err != nil {
			return nil, err
		}
		cfg.WriterKeyFile = filepath.Join(dataDir, "writer.key")
		if err := os.WriteFile(cfg.WriterKeyFile, []byte(wif), 0o600); err != nil {
			return nil, err
		}
	}
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	if n.Daemon, err = daemon.Start(ctx, cfg, log); err != nil {
		return nil, err
	}
	return n, nil
}

// URL is the node's HTTP base URL.
func (n *Node) URL() string { return "http://" + n.Daemon.Addr() }

// Close stops the daemon, then btcd.
func (n *Node) Close() error {
	var errs []error
	if n.Daemon != nil {
		errs = append(errs, n.Daemon.Close(context.Background()))
	}
	if n.BTC != nil {
		errs = append(errs, n.BTC.Stop())
	}
	return errors.Join(errs...)
}
