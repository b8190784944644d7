package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/ionode/ionode/internal/cputime"
	"github.com/ionode/ionode/node/daemon"
	"github.com/ionode/ionode/testnet"
)

// round is one fresh node's run: started (and, with blocks to scan, followed up to tip), then closed.
type round struct {
	Start   time.Duration // daemon.Start's duration
	Wall    time.Duration // from the start to the tip handled
	NodeCPU time.Duration // this process from the start to the tip handled
	StartUp time.Duration // this process's CPU time during daemon.Start
	BtcdCPU time.Duration
	Written int64 // bytes written to disk by this process, start to close
}

// runNode starts the node as `ionode serve --network regtest --bitcoin-peers <btcd> --genesis-height
// genesis` would, in dir, and waits until it has handled the block at tip (with tip < genesis, until
// it has started).
func runNode(ctx context.Context, btcd *testnet.Node, dir string, genesis, tip int64, log *slog.Logger) (round, error) {
	cfg := daemon.DefaultConfig()
	cfg.Network = "regtest"
	cfg.Listen = "127.0.0.1:0"
	cfg.DataDir = dir
	cfg.BitcoinPeers = []string{btcd.PeerAddr()}
	cfg.GenesisHeight = genesis
	cfg.IPFSListen = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.PollInterval = 100 * time.Millisecond
	var r round
	written0, err := writtenBytes()
	if err != nil {
		return r, err
	}
	btcd0, err := btcd.CPUTime()
	if err != nil {
		return r, err
	}
	cpu0, t0 := cputime.Self(), time.Now()
	d, err := daemon.Start(ctx, cfg, log)
	if err != nil {
		return r, err
	}
	r.Start, r.StartUp = time.Since(t0), cputime.Self()-cpu0
	for tip >= genesis && int64(d.Syncer.Progress().Height) < tip {
		wctx, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
		err := d.Wait(wctx) // nil when wctx ends: the node still runs
		cancel()
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			d.Close(context.Background())
			return r, fmt.Errorf("node at height %d of %d: %w", d.Syncer.Progress().Height, tip, err)
		}
	}
	r.Wall, r.NodeCPU = time.Since(t0), cputime.Self()-cpu0
	btcd1, err := btcd.CPUTime()
	if err != nil {
		return r, err
	}
	r.BtcdCPU = btcd1 - btcd0
	if err := d.Close(ctx); err != nil {
		return r, err
	}
	written1, err := writtenBytes()
	r.Written = written1 - written0
	return r, err
}

// writtenBytes is the bytes this process has caused to be written to storage (Linux /proc/self/io
// write_bytes: page-cache writes count when dirtied, so a write not yet flushed counts).
func writtenBytes() (int64, error) {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, fmt.Errorf("disk writes: %w", err)
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("write_bytes: ")); ok {
			return strconv.ParseInt(string(v), 10, 64)
		}
	}
	return 0, fmt.Errorf("disk writes: no write_bytes in /proc/self/io")
}
