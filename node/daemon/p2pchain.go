package daemon

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/anchor/p2pchain"
)

// seedsPeer is the --bitcoin-peers value that asks for the network's DNS seeds.
const seedsPeer = "seeds"

// p2pSyncWait bounds how long start-up waits for a first peer's headers: the watcher and the readiness
// check should not start from a tip that is only the genesis block.
const p2pSyncWait = 2 * time.Minute

// validateBitcoinPeers checks --bitcoin-peers: host:port addresses, or "seeds" alone.
func (c *Config) validateBitcoinPeers() error {
	if len(c.BitcoinPeers) == 0 {
		return nil
	}
	if len(c.BitcoinPeers) == 1 && c.BitcoinPeers[0] == seedsPeer {
		if c.Network == "regtest" {
			return fmt.Errorf("--bitcoin-peers seeds: regtest has no DNS seeds, list its nodes' host:port")
		}
	} else {
		for _, p := range c.BitcoinPeers {
			if _, _, err := net.SplitHostPort(p); err != nil {
				return fmt.Errorf("--bitcoin-peers %q: want host:port (or %q alone): %w", p, seedsPeer, err)
			}
		}
	}
	return nil
}

// startP2PChain starts the P2P chain source, its headers kept in the data directory; rpc, when not
// nil, answers the look-ups the scanned blocks cannot (previous outputs and locks older than its window).
func (d *Daemon) startP2PChain(ctx context.Context, params *chaincfg.Params, rpc *anchor.RPC) (*p2pchain.Source, error) {
	dir := filepath.Join(d.cfg.DataDir, "bitcoin-p2p")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("--bitcoin-peers: %w", err)
	}
	file, err := p2pchain.OpenHeaderFile(filepath.Join(dir, params.Name+"-headers"))
	if err != nil {
		return nil, err
	}
	d.closers = append(d.closers, func(context.Context) error { return file.Close() })
	headers, err := p2pchain.NewHeaderChain(params, file, nil)
	if err != nil {
		return nil, err
	}
	cfg := p2pchain.Config{Params: params, Headers: headers, Logger: d.log}
	if d.cfg.BitcoinPeers[0] != seedsPeer {
		cfg.Peers = d.cfg.BitcoinPeers
	}
	if rpc != nil {
		cfg.Fallback = rpc
	}
	src, err := p2pchain.Start(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("--bitcoin-peers: %w", err)
	}
	d.closers = append(d.closers, func(context.Context) error { return src.Close() })
	wctx, cancel := context.WithTimeout(ctx, p2pSyncWait)
	defer cancel()
	if err := src.WaitSynced(wctx, 1); err != nil {
		d.log.Warn("no Bitcoin peer has given its headers yet; following the chain as they arrive", "err", err)
	}
	tip := headers.Tip()
	d.log.Info("following Bitcoin over P2P", "peers", len(src.Status().Peers), "header_height", tip.Height)
	return src, nil
}

// p2pCheck is the /status probe of the P2P source: reachable when a peer is connected.
func (c *chain) p2pCheck(context.Context) error {
	if len(c.p2p.Status().Peers) == 0 {
		return errors.New("no Bitcoin peer connected")
	}
	return nil
}
