package testnet

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/rpcclient"

	"github.com/ionode/ionode/internal/blocking"
)

// Params are the chain parameters of the network a Node runs (Bitcoin regtest: bcrt1… addresses).
var Params = &chaincfg.RegressionNetParams

// Config configures a Node. The zero value is a usable, isolated node.
type Config struct {
	// DataDir holds btcd's chain data and logs; empty means a temporary directory removed by Stop.
	DataDir string
	// RPCUser and RPCPass are btcd's RPC credentials; empty means random ones.
	RPCUser, RPCPass string
	// MiningAddr receives the coinbase of mined blocks. Empty means the harness key's address, which
	// is what Fund spends from; with another address Fund only has the coins mined before.
	MiningAddr string
	// ListenPeer makes the node accept peer connections on a loopback port (see PeerAddr).
	ListenPeer bool
	// ConnectPeers are peer addresses (host:port) Start connects the node to (one-shot connections,
	// see Node.Connect: a dropped one is not redialled).
	ConnectPeers []string
	// BtcdPath is the btcd binary; empty means BtcdPath().
	BtcdPath string
	// ExtraArgs are passed to btcd after the harness's own arguments.
	ExtraArgs []string
	// Logger receives btcd's output at debug level and the harness's events; nil discards them.
	Logger *slog.Logger
}

// Node is a running btcd regtest process and its harness key.
type Node struct {
	cfg      Config
	dataDir  string
	tempDir  bool
	rpcAddr  string
	peerAddr string
	cmd      *exec.Cmd
	exited   chan struct{}
	client   *rpcclient.Client
	log      *slog.Logger
	tail     *lineTail
	wallet   *harnessWallet
	stopOnce sync.Once
	stopErr  error
}

// startAttempts bounds retries when a chosen free port is taken between choosing and binding it.
const startAttempts = 3

// Start starts btcd in regtest mode and waits until its RPC server answers. ctx bounds the start-up
// only: the process runs until Stop.
func Start(ctx context.Context, cfg Config) (*Node, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	bin := cfg.BtcdPath
	if bin == "" {
		p, err := BtcdPath(ctx)
		if err != nil {
			return nil, err
		}
		bin = p
	}
	wallet, err := newHarnessWallet()
	if err != nil {
		return nil, err
	}
	if cfg.RPCUser == "" {
		cfg.RPCUser = randomToken()
	}
	if cfg.RPCPass == "" {
		cfg.RPCPass = randomToken()
	}
	if cfg.MiningAddr == "" {
		cfg.MiningAddr = wallet.addr.EncodeAddress()
	}
	dataDir, temp := cfg.DataDir, false
	if dataDir == "" {
		d, err := os.MkdirTemp("", "ionode-btcd-")
		if err != nil {
			return nil, fmt.Errorf("testnet: %w", err)
		}
		dataDir, temp = d, true
	}
	var lastErr error
	for range startAttempts {
		n, err := startOnce(ctx, cfg, bin, dataDir, log, wallet)
		if err == nil {
			n.tempDir = temp
			if !temp {
				if err := n.restoreChain(ctx); err != nil {
					n.Stop()
					return nil, fmt.Errorf("testnet: restore the chain saved in %s: %w", dataDir, err)
				}
			}
			return n, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
		log.Debug("btcd start failed, retrying with other ports", "err", err)
	}
	if temp {
		os.RemoveAll(dataDir)
	}
	return nil, lastErr
}

func startOnce(ctx context.Context, cfg Config, bin, dataDir string, log *slog.Logger, wallet *harnessWallet) (*Node, error) {
	rpcAddr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	// The RPC credentials go in an owner-only config file: a command line shows in every process listing.
	conf, err := writeRPCConfig(dataDir, cfg.RPCUser, cfg.RPCPass)
	if err != nil {
		return nil, err
	}
	args := []string{
		"--configfile=" + conf,
		"--regtest",
		"--datadir=" + filepath.Join(dataDir, "data"),
		"--logdir=" + filepath.Join(dataDir, "logs"),
		"--rpclisten=" + rpcAddr,
		"--notls", // allowed because the RPC server is bound to loopback only
		"--txindex",
		"--miningaddr=" + cfg.MiningAddr,
		"--nodnsseed",
		"--nobanning",
		"--nostalldetect",
		"--trickleinterval=50ms", // relay transactions to peers promptly (default 10 s)
		"--debuglevel=info",
	}
	var peerAddr string
	if cfg.ListenPeer {
		if peerAddr, err = freeLoopbackAddr(); err != nil {
			return nil, err
		}
		args = append(args, "--listen="+peerAddr)
	} else {
		args = append(args, "--nolisten")
	}
	args = append(args, cfg.ExtraArgs...)

	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = childAttr()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("testnet: %w", err)
	}
	cmd.Stderr = cmd.Stdout
	n := &Node{
		cfg: cfg, dataDir: dataDir, rpcAddr: rpcAddr, peerAddr: peerAddr, cmd: cmd,
		exited: make(chan struct{}), log: log, tail: &lineTail{max: 40}, wallet: wallet,
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("testnet: start btcd: %w", err)
	}
	go n.pump(stdout)
	go func() {
		_ = cmd.Wait()
		close(n.exited)
	}()
	client, err := rpcclient.New(n.RPCConfig(), nil)
	if err != nil {
		n.kill()
		return nil, fmt.Errorf("testnet: rpc client: %w", err)
	}
	n.client = client
	if err := n.waitReady(ctx); err != nil {
		n.kill()
		client.Shutdown()
		return nil, err
	}
	for _, p := range cfg.ConnectPeers {
		if err := n.Connect(ctx, p); err != nil {
			n.kill()
			client.Shutdown()
			return nil, err
		}
	}
	log.Debug("btcd started", "rpc", rpcAddr, "peer", peerAddr, "datadir", dataDir, "pid", cmd.Process.Pid)
	return n, nil
}

func (n *Node) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	for {
		if _, err := n.client.GetBlockCount(); err == nil {
			return nil
		}
		select {
		case <-n.exited:
			return fmt.Errorf("testnet: btcd exited during start-up: %s", n.tail.String())
		case <-ctx.Done():
			return fmt.Errorf("testnet: btcd RPC not ready: %w: %s", ctx.Err(), n.tail.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// pump forwards btcd's output to the logger and keeps its last lines for error messages.
func (n *Node) pump(r io.Reader) {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64*1024), 1024*1024)
	for s.Scan() {
		line := s.Text()
		n.tail.add(line)
		n.log.Debug("btcd", "rpc", n.rpcAddr, "line", line)
	}
}

// RPCAddr is btcd's RPC address (host:port on loopback, plain HTTP).
func (n *Node) RPCAddr() string { return n.rpcAddr }

// PeerAddr is the loopback address btcd accepts peers on; empty unless Config.ListenPeer.
func (n *Node) PeerAddr() string { return n.peerAddr }

// DataDir is the node's data directory.
func (n *Node) DataDir() string { return n.dataDir }

// RPCConfig returns an rpcclient configuration for this node: HTTP POST mode without TLS.
func (n *Node) RPCConfig() *rpcclient.ConnConfig {
	return &rpcclient.ConnConfig{
		Host:         n.rpcAddr,
		User:         n.cfg.RPCUser,
		Pass:         n.cfg.RPCPass,
		HTTPPostMode: true,
		DisableTLS:   true,
	}
}

// Client returns the harness's RPC client (shared; do not shut it down).
func (n *Node) Client() *rpcclient.Client { return n.client }

// MiningAddr is the address the node's mined coinbases pay.
func (n *Node) MiningAddr() string { return n.cfg.MiningAddr }

// Generate mines n blocks and returns their hashes.
func (n *Node) Generate(ctx context.Context, blocks uint32) ([]*chainhash.Hash, error) {
	hashes, err := blocking.Call(ctx, func() ([]*chainhash.Hash, error) { return n.client.Generate(blocks) })
	if err != nil {
		return nil, fmt.Errorf("testnet: generate %d: %w", blocks, err)
	}
	return hashes, nil
}

// Stop shuts btcd down: the stop RPC, then SIGINT, then SIGKILL, waiting up to 20 s each; it removes a
// temporary data directory. It is safe to call more than once.
func (n *Node) Stop() error {
	n.stopOnce.Do(func() {
		if !n.tempDir {
			if err := n.saveChain(); err != nil {
				n.stopErr = fmt.Errorf("testnet: save the chain: %w", err)
			}
		}
		_, _ = n.client.RawRequest("stop", nil)
		n.client.Shutdown()
		if !n.waitExit(20 * time.Second) {
			_ = n.cmd.Process.Signal(syscall.SIGINT)
			if !n.waitExit(20 * time.Second) {
				n.kill()
				n.stopErr = errors.Join(n.stopErr, errors.New("testnet: btcd did not stop; killed"))
			}
		}
		if n.tempDir {
			if err := os.RemoveAll(n.dataDir); err != nil && n.stopErr == nil {
				n.stopErr = fmt.Errorf("testnet: %w", err)
			}
		}
	})
	return n.stopErr
}

func (n *Node) waitExit(d time.Duration) bool {
	select {
	case <-n.exited:
		return true
	case <-time.After(d):
		return false
	}
}

func (n *Node) kill() {
	_ = n.cmd.Process.Kill()
	<-n.exited
}

func freeLoopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("testnet: free port: %w", err)
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// lineTail keeps the last lines of btcd's output.
type lineTail struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func (t *lineTail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > t.max {
		t.lines = t.lines[len(t.lines)-t.max:]
	}
}

func (t *lineTail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}
