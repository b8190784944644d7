package chainbuild

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/btcsuite/btcd/btcutil/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/anchor/ionrules"
	"github.com/ionode/ionode/bench/internal/gen"
	"github.com/ionode/ionode/cas"
	"github.com/ionode/ionode/internal/wallettest"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
	"github.com/ionode/ionode/testnet"
)

// Config sizes the chain.
type Config struct {
	Dir           string // holds the IPFS node's blockstore; btcd uses a temporary directory
	CreateBatches int    // batches of creates
	UpdateBatches int    // batches of updates, each over DIDs created by the first batches
	BatchSize     int    // operations per batch (ION's maximum: 10,000)
	Logger        *slog.Logger
}

// Chain is the built chain and the processes that serve it. Close stops them.
type Chain struct {
	BTC        *testnet.Node
	CAS        *cas.Node
	Creates    int
	Updates    int
	Suffixes   []string // every created DID, in order
	Updated    int      // the first Updated suffixes were updated once
	Tip        int64    // chain height after the last anchor's block
	FirstBlock int64    // the first block holding an anchor
	Lock       anchor.ValueTimeLock
	LockHeight int64
	BuildTime  time.Duration // generating requests and building batch files
	Anchors    []string      // anchor strings, in chain order
}

// Close stops the IPFS node and btcd.
func (c *Chain) Close() error {
	var errs []error
	if c.CAS != nil {
		errs = append(errs, c.CAS.Close())
	}
	if c.BTC != nil {
		errs = append(errs, c.BTC.Stop())
	}
	return errors.Join(errs...)
}

// follower feeds the writer the blocks it needs to know its coins, and tracks ION's normalized fee.
type follower struct {
	w      *anchor.Watcher
	writer *anchor.Writer
	fees   *ionrules.FeeWindow
	cursor anchor.Cursor
	height int64
}

func (f *follower) poll(ctx context.Context) error {
	emit := func(ctx context.Context, ev anchor.Event, next anchor.Cursor) error {
		b, ok := ev.(*anchor.Block)
		if !ok {
			return fmt.Errorf("unexpected chain event %T while building", ev)
		}
		if _, err := f.fees.Add(b.Height, b.TotalFee, int64(b.TransactionCount)); err != nil {
			return err
		}
		f.height = b.Height
		return f.writer.ApplyBlock(ctx, b)
	}
	c, err := f.w.Poll(ctx, f.cursor, emit)
	if err != nil {
		return err
	}
	f.cursor = c
	return nil
}

// normalizedFee is the normalized fee of the newest block seen, the initial fee before any.
func (f *follower) normalizedFee() int64 {
	if b, ok := f.fees.Last(); ok {
		return ionrules.TransactionNormalizedFee(b.NormalizedFee)
	}
	return int64(ionrules.BitcoinRegtest().Versions[0].Parameters.InitialNormalizedFeeInSatoshis)
}

// mine mines one block and lets the writer see it.
func (f *follower) mine(ctx context.Context, btc *testnet.Node) error {
	if _, err := btc.Generate(ctx, 1); err != nil {
		return err
	}
	return f.poll(ctx)
}

// Build starts btcd and an IPFS node and writes the chain. On error everything started is stopped.
func Build(ctx context.Context, cfg Config) (_ *Chain, err error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.BatchSize < 1 || cfg.CreateBatches < 1 || cfg.UpdateBatches > cfg.CreateBatches {
		return nil, fmt.Errorf("chainbuild: need batch size ≥ 1, ≥ 1 create batch, update batches ≤ create batches")
	}
	c := &Chain{}
	defer func() {
		if err != nil {
			c.Close()
		}
	}()
	// --txindex: lock resolution reads the lock transaction by id (getrawtransaction).
	if c.BTC, err = testnet.Start(ctx, testnet.Config{ExtraArgs: []string{"--txindex"}, Logger: log}); err != nil {
		return nil, err
	}
	if c.CAS, err = cas.OpenNode(ctx, cas.NodeConfig{DataDir: filepath.Join(cfg.Dir, "builder-ipfs"), Logger: log}); err != nil {
		return nil, err
	}
	rpc, err := anchor.DialRPC(c.BTC.RPCConfig())
	if err != nil {
		return nil, err
	}
	defer rpc.Close()
	key, err := anchor.GenerateKey(testnet.Params)
	if err != nil {
		return nil, err
	}
	writer := &anchor.Writer{Chain: rpc, Key: key, Store: &wallettest.MemStore{}, FeeMarkupPercent: 1, Logger: log}
	fees, err := ionrules.NewFeeWindow(ionrules.BitcoinRegtest(), nil)
	if err != nil {
		return nil, err
	}
	f := &follower{w: &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis}, writer: writer, fees: fees}
	p := sidetree.Regtest().Latest()

	// The lock: ION allows a batch above 100 operations only to a writer whose value time lock covers
	// it (ValueTimeLockVerifier): amount ≥ operations × normalized fee × 0.001 × 60,000, for the
	// network's lock duration. 25 % headroom covers the normalized fee drifting while we build.
	if err := f.poll(ctx); err != nil {
		return nil, err
	}
	duration := ionrules.BitcoinRegtest().Versions[0].Parameters.ValueTimeLockDurationInBlocks
	amount := ionrules.LockAmountForOperations(f.normalizedFee(), cfg.BatchSize, p) * 5 / 4
	if _, err := c.BTC.Fund(ctx, key.Address(), btcutil.Amount(amount+int64(btcutil.SatoshiPerBitcoin))); err != nil {
		return nil, fmt.Errorf("fund the writer: %w", err)
	}
	if err := f.mine(ctx, c.BTC); err != nil {
		return nil, err
	}
	if cfg.BatchSize > p.MaxNumberOfOperationsForNoValueTimeLock {
		if c.Lock, err = writer.Lock(ctx, amount, duration); err != nil {
			return nil, fmt.Errorf("value time lock: %w", err)
		}
		if err := f.mine(ctx, c.BTC); err != nil {
			return nil, err
		}
		c.LockHeight = f.height
		log.Info("value time lock", "txid", c.Lock.TxID, "amount_sats", amount, "duration_blocks", duration, "height", c.LockHeight)
	}

	keys, err := gen.NewKeys(nil)
	if err != nil {
		return nil, err
	}
	put := func(data []byte) (string, error) { return c.CAS.Put(ctx, data) }
	anchorBatch := func(requests [][]byte) error {
		start := time.Now()
		s, _, err := batch.Build(requests, c.Lock.Identifier, p, put)
		if err != nil {
			return fmt.Errorf("build batch: %w", err)
		}
		c.BuildTime += time.Since(start)
		fee, err := ionrules.MinimumFeeSatoshis(2*max(f.normalizedFee(), 1), len(requests), p)
		if err != nil {
			return err
		}
		if _, _, err := writer.Anchor(ctx, s, uint64(fee)); err != nil {
			return fmt.Errorf("anchor %s: %w", s, err)
		}
		// One anchor per block: ION counts only a writer's first transaction in a block.
		if err := f.mine(ctx, c.BTC); err != nil {
			return err
		}
		if c.FirstBlock == 0 {
			c.FirstBlock = f.height
		}
		c.Anchors = append(c.Anchors, s)
		return nil
	}
	for b := range cfg.CreateBatches {
		start := time.Now()
		creates, err := gen.Creates(keys, b*cfg.BatchSize, cfg.BatchSize, p)
		if err != nil {
			return nil, err
		}
		c.BuildTime += time.Since(start)
		requests := make([][]byte, len(creates))
		for i, cr := range creates {
			requests[i] = cr.Request
			c.Suffixes = append(c.Suffixes, cr.Suffix)
		}
		if err := anchorBatch(requests); err != nil {
			return nil, err
		}
		c.Creates += len(requests)
		log.Info("create batch anchored", "batch", b+1, "of", cfg.CreateBatches, "height", f.height)
	}
	for b := range cfg.UpdateBatches {
		start := time.Now()
		updates, err := gen.Updates(keys, c.Suffixes[b*cfg.BatchSize:(b+1)*cfg.BatchSize], p)
		if err != nil {
			return nil, err
		}
		c.BuildTime += time.Since(start)
		if err := anchorBatch(updates); err != nil {
			return nil, err
		}
		c.Updates += len(updates)
		c.Updated = (b + 1) * cfg.BatchSize
		log.Info("update batch anchored", "batch", b+1, "of", cfg.UpdateBatches, "height", f.height)
	}
	if c.LockHeight > 0 && f.height >= c.LockHeight+duration {
		return nil, fmt.Errorf("chain outgrew the lock (%d blocks): use fewer batches", duration)
	}
	c.Tip = f.height
	return c, nil
}
