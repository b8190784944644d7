package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/rpcclient"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/anchor/ionrules"
	"github.com/ionode/ionode/anchor/p2pchain"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/node/writer"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// chain is the daemon's Bitcoin side: the watcher feeding the syncer, the normalized-fee window, and
// (with a writer key) the wallet and the batch writer.
type chain struct {
	d       *Daemon
	rpc     *anchor.RPC      // nil when the node follows the P2P network alone
	p2p     *p2pchain.Source // nil without --bitcoin-peers
	watcher *anchor.Watcher
	wallet  *anchor.Writer // nil without a writer key
	batches *writer.Writer

	net   ionrules.BitcoinNetwork
	locks *lockResolver

	mu       sync.Mutex
	fees     *ionrules.FeeWindow // committed: the blocks the syncer has handled
	lockFees feeHistory          // committed: recent blocks' normalized fees, for lock resolution
	pending  *feeHistory         // while the syncer handles a block: lockFees with that block
	tip      uint64
	tipRead  time.Time
	cancel   context.CancelFunc
}

// position is what the daemon persists as the chain cursor: the watcher's cursor, the fee window (each
// block's normalized fee depends on every block before it, so it must move with the cursor) and the
// recent blocks' normalized fees that value time locks are resolved with.
type position struct {
	Watcher  []byte              `json:"watcher"`
	Fees     []ionrules.BlockFee `json:"fees"`
	LockFees feeHistory          `json:"lockFees"`
}

// chainParams returns the Bitcoin network and ION's bitcoin-side parameters for it (genesis 667,000 on
// mainnet, 1,900,000 on testnet, 0 on our regtest).
func chainParams(network string) (*chaincfg.Params, ionrules.BitcoinNetwork) {
	switch network {
	case "testnet":
		return &chaincfg.TestNet3Params, ionrules.BitcoinTestnet()
	case "regtest":
		return &chaincfg.RegressionNetParams, ionrules.BitcoinRegtest()
	}
	return &chaincfg.MainNetParams, ionrules.BitcoinMainnet()
}

// rpcConfig builds the RPC client configuration: host:port or an http(s) URL, TLS with btcd's
// certificate when one is given.
func (c Config) rpcConfig() (*rpcclient.ConnConfig, error) {
	host := c.BitcoinRPC
	tls := c.BitcoinCert != ""
	if u, err := url.Parse(c.BitcoinRPC); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		host = u.Host
		tls = tls || u.Scheme == "https"
	}
	cfg := &rpcclient.ConnConfig{Host: host, User: c.BitcoinUser, Pass: c.BitcoinPassword, CookiePath: c.BitcoinCookie, HTTPPostMode: true, DisableTLS: !tls}
	if c.BitcoinCert != "" {
		cert, err := os.ReadFile(c.BitcoinCert)
		if err != nil {
			return nil, fmt.Errorf("--bitcoin-cert: %w", err)
		}
		cfg.Certificates = cert
	}
	return cfg, nil
}

func (d *Daemon) startChain(ctx context.Context) error {
	if d.cfg.ReadOnly {
		return nil
	}
	params, net := chainParams(d.cfg.Network)
	if d.cfg.GenesisHeight >= 0 {
		net = net.WithGenesis(d.cfg.GenesisHeight)
	}
	fees, err := ionrules.NewFeeWindow(net, nil)
	if err != nil {
		return err
	}
	c := &chain{d: d, net: net, fees: fees}
	// follow is what the watcher reads: the RPC node, or the P2P network when --bitcoin-peers is set
	// (then RPC, when also given, only answers what the blocks scanned cannot).
	var follow anchor.Chain
	var lockTxs ionrules.LockTransactionSource
	if d.cfg.BitcoinRPC != "" {
		rpcCfg, err := d.cfg.rpcConfig()
		if err != nil {
			return err
		}
		// DialRPC's client keeps connections alive and batches the watcher's block-hash lookups: over
		// rpcclient alone a scan reads ~77 full blocks/s, over DialRPC ~120 (BenchmarkWatcherScan).
		rpc, err := anchor.DialRPC(rpcCfg)
		if err != nil {
			return fmt.Errorf("bitcoin RPC: %w", err)
		}
		d.closers = append(d.closers, func(context.Context) error { rpc.Close(); return nil })
		c.rpc, follow, lockTxs = rpc, rpc, rpc
	}
	if len(d.cfg.BitcoinPeers) > 0 {
		src, err := d.startP2PChain(ctx, params, c.rpc)
		if err != nil {
			return err
		}
		c.p2p, follow, lockTxs = src, src, src
	}
	c.locks = &lockResolver{Transactions: lockTxs, Fees: chainFees{c}, Network: net}
	tip, err := follow.GetBlockCount(ctx)
	if err != nil {
		return fmt.Errorf("bitcoin RPC at %s does not answer: %w", d.cfg.BitcoinRPC, err)
	}
	c.watcher = &anchor.Watcher{Chain: follow, Genesis: net.Genesis, Confirmations: d.cfg.Confirmations, Logger: d.log}
	if d.cfg.BitcoinP2P != "" {
		// Blocks over the node's P2P port: ~220 full blocks/s against ~120 over JSON-RPC on two cores
		// (BenchmarkWatcherScan). Connection failures fall back to RPC block by block.
		peer, err := anchor.DialPeer(ctx, anchor.PeerConfig{Addr: d.cfg.BitcoinP2P, Params: params, Logger: d.log})
		if err != nil {
			return fmt.Errorf("--bitcoin-p2p: %w", err)
		}
		c.watcher.Blocks = peer
		d.closers = append(d.closers, func(context.Context) error { return peer.Close() })
	}

	processor := &node.FileProcessor{Network: d.network, CAS: d.CAS, Locks: c.locks, Metrics: d.Metrics, FetchTimeout: d.cfg.CASFetchTimeout}
	observer := &node.Observer{Store: d.Store, Processor: processor, MaxConcurrentDownloads: d.cfg.MaxDownloads, Logger: d.log, Metrics: d.Metrics,
		RetryBase: d.cfg.UnresolvableRetry}
	d.Syncer = &node.Syncer{Observer: observer, Cursors: d.Store, ReadyLag: uint64(d.cfg.ReadyLagBlocks), Metrics: d.Metrics, Logger: d.log}

	cursor, err := c.loadPosition(ctx)
	if err != nil {
		return err
	}
	if !cursor.Empty() {
		// The store is complete up to the cursor: a restart at the tip is synced and ready at once,
		// not after the next block.
		d.Syncer.Resume(uint64(max(cursor.Height, 0)), uint64(max(tip, 0)))
	}
	if d.cfg.hasWriterKey() {
		if err := c.startWriter(ctx, params); err != nil {
			return err
		}
	}
	runCtx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	d.chain = c
	d.goRun("chain watcher", func() error { return c.watcher.Run(runCtx, cursor, d.cfg.PollInterval, c.emit) }, runCtx)
	// Operations stored by a version before signature verdicts get theirs in the background; until then
	// resolution verifies their signatures itself, so a failure here only costs speed.
	d.goRun("signature verdicts migration", func() error {
		if _, err := store.MigrateVerdicts(runCtx, d.Store, d.log); err != nil && runCtx.Err() == nil {
			d.log.Warn("store: signature verdicts migration stopped; resolution verifies the remaining signatures", "err", err)
		}
		return nil
	}, runCtx)
	if c.batches != nil {
		d.goRun("batch writer", func() error { return c.batches.Run(runCtx) }, runCtx)
		d.goRun("wallet maintenance", func() error { return c.maintain(runCtx) }, runCtx)
	}
	return nil
}

func (c *chain) loadPosition(ctx context.Context) (anchor.Cursor, error) {
	var cur anchor.Cursor
	raw, err := c.d.Store.Cursor(ctx)
	if err != nil || raw == nil {
		return cur, err
	}
	var pos position
	if err := json.Unmarshal(raw, &pos); err != nil {
		return cur, fmt.Errorf("stored chain position is unreadable: %w", err)
	}
	if err := cur.UnmarshalBinary(pos.Watcher); err != nil {
		return cur, fmt.Errorf("stored chain position is unreadable: %w", err)
	}
	if c.fees, err = ionrules.NewFeeWindow(c.net, pos.Fees); err != nil {
		return cur, fmt.Errorf("stored chain position: %w", err)
	}
	c.lockFees = pos.LockFees
	if len(c.lockFees.Runs) == 0 {
		// A position written before lock fees were kept: the fee window's records are a start.
		for _, b := range pos.Fees {
			c.lockFees.add(b.Height, ionrules.TransactionNormalizedFee(b.NormalizedFee), c.lockFeeBlocks())
		}
	}
	c.d.log.Info("resuming chain position", "height", cur.Height)
	return cur, nil
}

// emit handles one watcher event. The fee window changes only once the event is stored, so an event
// that fails and comes again is not counted twice.
func (c *chain) emit(ctx context.Context, ev anchor.Event, next anchor.Cursor) error {
	c.mu.Lock()
	fees, err := ionrules.NewFeeWindow(c.net, c.fees.Records())
	lockFees := c.lockFees.clone()
	c.mu.Unlock()
	if err != nil {
		return err
	}
	var ce node.ChainEvent
	switch e := ev.(type) {
	case *anchor.Block:
		blockFee, err := fees.Add(e.Height, e.TotalFee, int64(e.TransactionCount))
		if err != nil {
			return fmt.Errorf("normalized fee of block %d: %w", e.Height, err)
		}
		normalizedFee := ionrules.TransactionNormalizedFee(blockFee.NormalizedFee)
		lockFees.add(e.Height, normalizedFee, c.lockFeeBlocks())
		if ce.Transactions, err = c.selected(e, normalizedFee); err != nil {
			return err
		}
		ce.Height = uint64(e.Height)
		if c.wallet != nil {
			if err := c.wallet.ApplyBlock(ctx, e); err != nil {
				return fmt.Errorf("wallet: block %d: %w", e.Height, err)
			}
		}
	case *anchor.Reorg:
		if err := fees.Rewind(e.ForkHeight); err != nil {
			return fmt.Errorf("reorg to %d: %w", e.ForkHeight, err)
		}
		lockFees.rewind(e.ForkHeight)
		ce = node.ChainEvent{Reorg: true, RevertAfter: e.RevertAfterTransactionNumber, Height: uint64(max(e.ForkHeight, 0))}
		if c.wallet != nil {
			if err := c.wallet.Revert(ctx, e.ForkHeight); err != nil {
				return fmt.Errorf("wallet: revert to %d: %w", e.ForkHeight, err)
			}
		}
	default:
		return fmt.Errorf("unknown chain event %T", ev)
	}
	watcherCursor, err := next.MarshalBinary()
	if err != nil {
		return err
	}
	if ce.Cursor, err = json.Marshal(position{Watcher: watcherCursor, Fees: fees.Records(), LockFees: lockFees}); err != nil {
		return err
	}
	ce.Tip = c.chainTip(ctx, ce.Height)
	// A lock made in this very block counts for its transactions (the bitcoin service has the block's
	// normalized fee before the core sees them), so the resolver sees the new fees during Handle.
	c.mu.Lock()
	c.pending = &lockFees
	c.mu.Unlock()
	err = c.d.Syncer.Handle(ctx, ce)
	c.mu.Lock()
	c.pending = nil
	if err == nil {
		c.fees, c.lockFees = fees, lockFees
	}
	c.mu.Unlock()
	return err
}

// selected applies ION's per-block selection (ionrules.Select: one transaction per writer, by fee, at
// most 300 transactions and 600,000 operations a block) and returns the transactions that count.
func (c *chain) selected(b *anchor.Block, normalizedFee int64) ([]node.Transaction, error) {
	cands := make([]ionrules.Candidate, len(b.Transactions))
	byNumber := make(map[int64]anchor.Transaction, len(b.Transactions))
	for i, tx := range b.Transactions {
		cands[i] = ionrules.Candidate{Number: int64(tx.Number), Time: int64(tx.Height), AnchorString: tx.AnchorString,
			FeePaid: int64(tx.FeePaid), Writer: tx.Writer}
		byNumber[int64(tx.Number)] = tx
	}
	picked, err := ionrules.Select(cands, nil, c.d.network.ParametersAt(uint64(b.Height)))
	if err != nil {
		return nil, fmt.Errorf("block %d: %w", b.Height, err)
	}
	out := make([]node.Transaction, 0, len(picked))
	for _, p := range picked {
		tx := byNumber[p.Number]
		out = append(out, node.Transaction{
			Number: tx.Number, Time: tx.Height, TimeHash: tx.BlockHash, AnchorString: tx.AnchorString,
			FeePaid: tx.FeePaid, NormalizedFee: uint64(max(normalizedFee, 0)), Writer: tx.Writer,
		})
	}
	return out, nil
}

// chainTip is the node's block count, read at most once a second.
func (c *chain) chainTip(ctx context.Context, height uint64) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.tipRead) > time.Second {
		if n, err := c.watcher.Chain.GetBlockCount(ctx); err == nil {
			c.tip, c.tipRead = uint64(n), time.Now()
		}
	}
	return max(c.tip, height)
}

// normalizedFee is the normalized fee of the newest block handled, the network's initial fee before any.
func (c *chain) normalizedFee() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.fees.Last(); ok {
		return ionrules.TransactionNormalizedFee(b.NormalizedFee)
	}
	p, err := c.net.ParametersAt(c.net.Genesis)
	if err != nil {
		return 0
	}
	return int64(p.InitialNormalizedFeeInSatoshis)
}

func (c *chain) startWriter(ctx context.Context, params *chaincfg.Params) error {
	d := c.d
	key, err := d.cfg.writerKey(ctx, params, d.openTokenKey)
	if err != nil {
		return fmt.Errorf("writer key: %w", err)
	}
	var wc anchor.WalletChain = c.p2p
	if c.rpc != nil {
		wc = c.rpc
	} else {
		d.log.Warn("writing over P2P alone: no fee estimates, anchors pay the writer's fallback fee rate")
	}
	c.wallet = &anchor.Writer{Chain: wc, Key: key, Store: walletStore{d.Store}, FeeMarkupPercent: 1, Logger: d.log}
	p := d.network.Latest()
	c.batches = &writer.Writer{
		Queue: queue{d.Store},
		CAS:   d.CAS,
		Build: func(requests [][]byte, put func([]byte) (string, error)) (string, error) {
			a, _, err := batch.Build(requests, "", p, put)
			return a, err
		},
		Anchorer:                    anchorer{c.wallet, p},
		Fees:                        feePolicy{c, p},
		Interval:                    d.cfg.BatchInterval,
		ConfirmationsBetweenBatches: d.cfg.BatchConfirmations,
		Metrics:                     d.Metrics,
		Logger:                      d.log,
		Budget:                      d.feeBudget(),
		Kept:                        &writer.DirKept{Dir: filepath.Join(d.cfg.DataDir, "writer-kept"), Legacy: filepath.Join(d.cfg.DataDir, "writer-kept.json")},
	}
	c.capFees()
	balance, _ := c.wallet.Balance(ctx)
	d.log.Info("writer wallet", "address", key.Address(), "balance_sats", balance)
	return nil
}

// maintain rebroadcasts and fee-bumps the wallet's stuck transactions.
func (c *chain) maintain(ctx context.Context) error {
	t := time.NewTicker(c.d.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if err := c.wallet.Maintain(ctx); err != nil && ctx.Err() == nil {
				c.d.log.Warn("wallet maintenance failed", "err", err)
			}
		}
	}
}

func (d *Daemon) stopChain() {
	if d.chain != nil && d.chain.cancel != nil {
		d.chain.cancel()
	}
}

// goRun runs a component until ctx ends; a failure before that stops the daemon.
func (d *Daemon) goRun(name string, run func() error, ctx context.Context) {
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		err := run()
		if err != nil && ctx.Err() == nil && !errors.Is(err, context.Canceled) {
			d.errs <- fmt.Errorf("%s: %w", name, err)
		}
	}()
}

// anchorer adapts the wallet to the batch writer.
type anchorer struct {
	w *anchor.Writer
	p sidetree.Parameters
}

func (a anchorer) Anchor(ctx context.Context, s string, minFee uint64) (string, uint64, error) {
	return a.w.Anchor(ctx, s, minFee)
}

func (a anchorer) Lookup(ctx context.Context, s string) (string, bool, error) {
	return a.w.Lookup(ctx, s)
}

func (a anchorer) Confirmations(ctx context.Context, txid string) (int, error) {
	n, err := a.w.Confirmations(ctx, txid)
	switch {
	case errors.Is(err, anchor.ErrTxFailed):
		return 0, fmt.Errorf("%w: %v", writer.ErrAnchorFailed, err)
	case errors.Is(err, anchor.ErrUnknownTx):
		return 0, fmt.Errorf("%w: %v", writer.ErrAnchorUnknown, err)
	}
	return n, err
}

// MaxOperations: the node writes without a value time lock, so ION allows it
// maxNumberOfOperationsForNoValueTimeLock (100) operations a batch.
func (a anchorer) MaxOperations(context.Context) (int, error) {
	return min(ionrules.MaxOperationsAllowed(nil, sidetree.Network{}, a.p), a.p.MaxOperationsPerBatch), nil
}

// feePolicy is ION's minimum fee at the current normalized fee.
type feePolicy struct {
	c *chain
	p sidetree.Parameters
}

// MinimumFee is the least fee ION accepts for the batch (ionrules.MinimumFeeSatoshis: at least the
// normalized fee, and normalizedFee × 0.001 per operation).
func (f feePolicy) MinimumFee(_ context.Context, operations int) (uint64, error) {
	fee, err := ionrules.MinimumFeeSatoshis(f.c.normalizedFee(), operations, f.p)
	return uint64(max(fee, 0)), err
}
