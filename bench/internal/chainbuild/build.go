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
	"github.com/ionode/ionode/testnet"
)

// Config sizes the chain.
type Config struct {
	Dir    string // holds the IPFS node's blockstore; btcd uses a temporary directory
	Plan   Plan   // what each batch holds
	Size   int    // the largest batch's operation count: the value time locks are sized for it
	Logger *slog.Logger
	// Workers build batches ahead of the chain in parallel (GOMAXPROCS when 0).
	Workers int
	// BatchesPerLock is how many batches are anchored under one value time lock before the next lock (0:
	// as many as the lock's duration allows).
	BatchesPerLock int
	// OnBatch, when set, sees every batch once it is anchored, in chain order.
	OnBatch func(Batch) error
}

// Chain is the built chain and the processes that serve it. Close stops them.
type Chain struct {
	BTC        *testnet.Node
	CAS        *cas.Node
	Ops        map[sidetree.OperationType]int // operations anchored, by type
	Tip        int64                          // chain height after the last anchor's block
	FirstBlock int64                          // the first block holding an anchor
	Locks      []anchor.ValueTimeLock         // the value time locks, in chain order (none for batches within ION's no-lock limit)
	LockHeight int64                          // the first lock's block
	// BuildTime is the time spent generating requests and building batch files, summed over the
	// builders (they run in parallel, so it can exceed the wall time).
	BuildTime time.Duration
	Anchors   []string // anchor strings, in chain order
}

// Total is the number of operations anchored.
func (c *Chain) Total() (n int) {
	for _, v := range c.Ops {
		n += v
	}
	return n
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

// Build starts btcd and an IPFS node and writes the chain: the builders generate and build batches
// ahead of the chain, a few at a time (the batches are never all in memory), and one loop anchors them
// in order, one per block. A value time lock lasts ValueTimeLockDurationInBlocks (150 blocks on
// regtest), so a longer chain gets a new lock before the current one ends. On error everything started
// is stopped.
func Build(ctx context.Context, cfg Config) (_ *Chain, err error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Plan == nil || cfg.Plan.Len() < 1 || cfg.Size < 1 {
		return nil, fmt.Errorf("chainbuild: need a plan of at least one batch and a batch size ≥ 1")
	}
	c := &Chain{Ops: map[sidetree.OperationType]int{}}
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
	if err := f.poll(ctx); err != nil {
		return nil, err
	}
	keys, err := gen.NewKeys(nil)
	if err != nil {
		return nil, err
	}
	p := sidetree.Regtest().Latest()
	w := &writing{cfg: cfg, c: c, f: f, writer: writer, key: key, p: p, log: log}
	w.period = w.batchesPerLock()
	locks := newLockIDs((cfg.Plan.Len() + w.period - 1) / w.period)
	// The builders stop with the build (on an error they may be waiting for a token or a lock).
	bctx, stop := context.WithCancel(ctx)
	defer stop()
	results := startBuilders(bctx, cfg, keys, p, locks, w.period, func(data []byte) (string, error) { return c.CAS.Put(bctx, data) })
	for i := range cfg.Plan.Len() {
		if i%w.period == 0 {
			id, err := w.newPeriod(ctx)
			if err != nil {
				return nil, err
			}
			locks.set(i/w.period, id)
		}
		var r built
		select {
		case r = <-results.out[i]:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		results.release()
		if r.err != nil {
			return nil, fmt.Errorf("batch %d: %w", i, r.err)
		}
		c.BuildTime += r.took
		if err := w.anchor(ctx, r.anchor, len(r.batch.Requests)); err != nil {
			return nil, err
		}
		for t, n := range r.batch.Counts() {
			c.Ops[t] += n
		}
		if cfg.OnBatch != nil {
			if err := cfg.OnBatch(r.batch); err != nil {
				return nil, err
			}
		}
		log.Info("batch anchored", "batch", i+1, "of", cfg.Plan.Len(), "height", f.height)
	}
	c.Tip = f.height
	return c, nil
}

// writing is the anchoring side: the writer, its coins and its locks.
type writing struct {
	cfg    Config
	c      *Chain
	f      *follower
	writer *anchor.Writer
	key    *anchor.Key
	p      sidetree.Parameters
	period int // batches anchored under one lock
	log    *slog.Logger
}

func (w *writing) needsLock() bool { return w.cfg.Size > w.p.MaxNumberOfOperationsForNoValueTimeLock }

// batchesPerLock leaves a lock's last blocks unused, for the blocks a new period's funding and lock take.
func (w *writing) batchesPerLock() int {
	if !w.needsLock() {
		return w.cfg.Plan.Len()
	}
	if w.cfg.BatchesPerLock > 0 {
		return min(w.cfg.BatchesPerLock, w.maxPerLock())
	}
	return w.maxPerLock()
}

func (w *writing) maxPerLock() int {
	return int(ionrules.BitcoinRegtest().Versions[0].Parameters.ValueTimeLockDurationInBlocks) - 10
}

func (w *writing) fee(operations int) (int64, error) {
	return ionrules.MinimumFeeSatoshis(2*max(w.f.normalizedFee(), 1), operations, w.p)
}

// newPeriod funds the writer for the next period's anchors and, for batches above ION's 100-operation
// no-lock limit, locks a value time lock for them (ValueTimeLockVerifier): amount ≥ operations ×
// normalized fee × 0.001 × 60,000, for the network's lock duration. 25 % headroom covers the normalized
// fee drifting while we build. It returns the lock's identifier ("" without a lock).
func (w *writing) newPeriod(ctx context.Context) (string, error) {
	fee, err := w.fee(w.cfg.Size)
	if err != nil {
		return "", err
	}
	var amount int64
	if w.needsLock() {
		amount = ionrules.LockAmountForOperations(w.f.normalizedFee(), w.cfg.Size, w.p) * 5 / 4
	}
	need := amount + 2*fee*int64(w.period) + int64(btcutil.SatoshiPerBitcoin)/10
	if _, err := w.c.BTC.Fund(ctx, w.key.Address(), btcutil.Amount(need)); err != nil {
		return "", fmt.Errorf("fund the writer: %w", err)
	}
	if err := w.f.mine(ctx, w.c.BTC); err != nil {
		return "", err
	}
	if !w.needsLock() {
		return "", nil
	}
	duration := ionrules.BitcoinRegtest().Versions[0].Parameters.ValueTimeLockDurationInBlocks
	lock, err := w.writer.Lock(ctx, amount, duration)
	if err != nil {
		return "", fmt.Errorf("value time lock: %w", err)
	}
	if err := w.f.mine(ctx, w.c.BTC); err != nil {
		return "", err
	}
	if len(w.c.Locks) == 0 {
		w.c.LockHeight = w.f.height
	}
	w.c.Locks = append(w.c.Locks, lock)
	w.log.Info("value time lock", "txid", lock.TxID, "amount_sats", amount, "duration_blocks", duration, "height", w.f.height)
	return lock.Identifier, nil
}

// anchor writes one batch's anchor string in a block of its own: ION counts only a writer's first
// transaction in a block.
func (w *writing) anchor(ctx context.Context, s string, operations int) error {
	fee, err := w.fee(operations)
	if err != nil {
		return err
	}
	if _, _, err := w.writer.Anchor(ctx, s, uint64(fee)); err != nil {
		return fmt.Errorf("anchor %s: %w", s, err)
	}
	if err := w.f.mine(ctx, w.c.BTC); err != nil {
		return err
	}
	if w.c.FirstBlock == 0 {
		w.c.FirstBlock = w.f.height
	}
	w.c.Anchors = append(w.c.Anchors, s)
	return nil
}
