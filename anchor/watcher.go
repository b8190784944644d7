package anchor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
	lru "github.com/hashicorp/golang-lru/v2"
)

// Genesis heights of ION's networks (ion config/*-bitcoin-config.json genesisBlockNumber; a private
// regtest chain starts at 0).
const (
	MainnetGenesis = 667_000
	TestnetGenesis = 1_900_000
	RegtestGenesis = 0
)

// EmitFunc receives each event with the cursor to persist after it. An error stops the watcher
// before the cursor moves; the same event is emitted again by the next Poll.
type EmitFunc func(ctx context.Context, ev Event, next Cursor) error

// Watcher follows the chain and reports ION transactions. Its fields are read-only once it runs; it
// keeps no state between calls (the cursor is the caller's).
type Watcher struct {
	Chain Chain
	// Prefix marks ION's OP_RETURN data; empty means Prefix ("ion:").
	Prefix string
	// Genesis is the first height read when the cursor is empty.
	Genesis int64
	// Confirmations a block needs before it is read: 1 (or 0) reads the tip as ION does, relying on
	// Reorg events; more trades latency for fewer reorgs.
	Confirmations int
	// Fetchers is how many blocks are fetched and parsed ahead concurrently (default 8).
	Fetchers int
	// KeepHashes is how many recent block hashes the cursor keeps to find a fork point (default 200).
	// A reorganization deeper than that reverts everything back to Genesis.
	KeepHashes int
	Logger     *slog.Logger
	// Blocks, when set, fetches the blocks themselves (PeerBlocks over the node's P2P port, RESTBlocks
	// from Bitcoin Core's REST interface): much cheaper than JSON-RPC getblock for both sides. Chain
	// still answers everything else, and fetches a block when Blocks fails.
	Blocks BlockSource

	src *txSource
}

func (w *Watcher) init() {
	if w.src == nil {
		cache, _ := lru.New[chainhash.Hash, *wire.MsgTx](4096)
		w.src = &txSource{chain: w.Chain, cache: cache}
	}
}

func (w *Watcher) prefix() string {
	if w.Prefix == "" {
		return Prefix
	}
	return w.Prefix
}

func (w *Watcher) log() *slog.Logger {
	if w.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Logger
}

func (w *Watcher) keep() int {
	if w.KeepHashes <= 0 {
		return 200
	}
	return w.KeepHashes
}

func (w *Watcher) fetchers() int {
	if w.Fetchers <= 0 {
		return 8
	}
	return w.Fetchers
}

// errChainMoved stops a scan whose next block does not follow the cursor (a reorg during the scan).
var errChainMoved = errors.New("anchor: chain changed during scan")

// Run polls every interval until ctx ends, starting from cur. Poll errors are logged and retried at
// the next interval; an emit error is returned.
func (w *Watcher) Run(ctx context.Context, cur Cursor, interval time.Duration, emit EmitFunc) error {
	var emitErr error
	wrapped := func(ctx context.Context, ev Event, next Cursor) error {
		if err := emit(ctx, ev, next); err != nil {
			emitErr = err
			return err
		}
		return nil
	}
	for {
		next, err := w.Poll(ctx, cur, wrapped)
		cur = next
		if emitErr != nil {
			return emitErr
		}
		if err != nil && ctx.Err() == nil {
			w.log().Warn("chain poll failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}

// Poll reads every block from the cursor to the confirmed tip, emitting events in order, and returns
// the cursor after the last emitted event (also on error).
func (w *Watcher) Poll(ctx context.Context, cur Cursor, emit EmitFunc) (Cursor, error) {
	w.init()
	for attempt := 0; ; attempt++ {
		tip, err := w.Chain.GetBlockCount(ctx)
		if err != nil {
			return cur, fmt.Errorf("anchor: block count: %w", err)
		}
		cur, err = w.checkFork(ctx, cur, tip, emit)
		if err != nil {
			return cur, err
		}
		conf := int64(max(w.Confirmations, 1))
		last := tip - conf + 1
		cur, err = w.scan(ctx, cur, last, emit)
		if errors.Is(err, errChainMoved) && attempt < 10 {
			continue
		}
		return cur, err
	}
}

// checkFork verifies the cursor's blocks against the chain and reports a reorg when they left it.
func (w *Watcher) checkFork(ctx context.Context, cur Cursor, tip int64, emit EmitFunc) (Cursor, error) {
	if cur.Empty() {
		return cur, nil
	}
	top := min(cur.Height, tip)
	fork := int64(-1)
	found := false
	oldest := cur.Height - int64(len(cur.Hashes)) + 1
	for h := top; h >= oldest; h-- {
		hash, err := w.Chain.GetBlockHash(ctx, h)
		if err != nil {
			return cur, fmt.Errorf("anchor: block hash %d: %w", h, err)
		}
		if want, _ := cur.hashAt(h); want == hash {
			fork, found = h, true
			break
		}
	}
	if found && fork == cur.Height {
		return cur, nil
	}
	var next Cursor
	if found {
		next = cur.truncate(fork)
	} else {
		fork = w.Genesis - 1
		w.log().Warn("reorganization deeper than the remembered blocks: reverting to genesis", "remembered", len(cur.Hashes))
	}
	ev := &Reorg{ForkHeight: fork}
	if fork >= 0 {
		ev.RevertAfterTransactionNumber = LastTransactionNumberOfBlock(uint64(fork))
	}
	// Below block 0 nothing survives; number 0 is block 0's coinbase, never an ION transaction.
	w.log().Info("chain reorganization", "fork_height", fork, "reverted_from", cur.Height)
	if err := emit(ctx, ev, next); err != nil {
		return cur, err
	}
	return next, nil
}

type fetchResult struct {
	block *Block
	err   error
}

// scan reads blocks after the cursor up to last, fetching ahead concurrently and emitting in order.
func (w *Watcher) scan(ctx context.Context, cur Cursor, last int64, emit EmitFunc) (Cursor, error) {
	start := w.Genesis
	if !cur.Empty() {
		start = cur.Height + 1
	}
	if start > last {
		return cur, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	window := w.fetchers() * 4
	order := make(chan chan fetchResult, window)
	sem := make(chan struct{}, w.fetchers())
	ranger, _ := w.Chain.(blockHashRanger)
	go func() {
		defer close(order)
		var hashes []chainhash.Hash // of the heights from hashesFrom on, when ranger looked them up
		var hashesFrom int64
		for h := start; h <= last; h++ {
			ch := make(chan fetchResult, 1)
			select {
			case order <- ch:
			case <-ctx.Done():
				return
			}
			var hash *chainhash.Hash
			if ranger != nil {
				if h-hashesFrom >= int64(len(hashes)) {
					n := int(min(last-h+1, hashBatch))
					var err error
					if hashes, err = ranger.GetBlockHashes(ctx, h, n); err == nil && len(hashes) != n {
						err = fmt.Errorf("%d hashes for %d heights", len(hashes), n)
					}
					if err != nil {
						ch <- fetchResult{err: fmt.Errorf("anchor: block hashes from %d: %w", h, err)}
						return
					}
					hashesFrom = h
				}
				hash = &hashes[h-hashesFrom]
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				ch <- fetchResult{err: ctx.Err()}
				return
			}
			go func(h int64) {
				defer func() { <-sem }()
				b, err := w.fetch(ctx, h, hash)
				ch <- fetchResult{b, err}
			}(h)
		}
	}()
	for ch := range order {
		r := <-ch
		if r.err != nil {
			return cur, r.err
		}
		b := r.block
		if !cur.Empty() && b.PreviousHash != cur.Hashes[len(cur.Hashes)-1] {
			return cur, errChainMoved
		}
		next := cur.advance(b.Height, b.Hash, w.keep())
		if err := emit(ctx, b, next); err != nil {
			return cur, err
		}
		cur = next
	}
	return cur, ctx.Err()
}

// blockHashRanger is a Chain that looks up many block hashes in one request (RPC: a JSON-RPC batch).
type blockHashRanger interface {
	GetBlockHashes(ctx context.Context, from int64, count int) ([]chainhash.Hash, error)
}

// hashBatch is how many heights a scan looks up per GetBlockHashes call.
const hashBatch = 64

// fetch reads the block at height; hash, when known, is its hash looked up beforehand (the check of
// each block's previous hash against the cursor catches a chain that moved since).
func (w *Watcher) fetch(ctx context.Context, height int64, hash *chainhash.Hash) (*Block, error) {
	if hash == nil {
		h, err := w.Chain.GetBlockHash(ctx, height)
		if err != nil {
			return nil, fmt.Errorf("anchor: block hash %d: %w", height, err)
		}
		hash = &h
	}
	msg, err := w.getBlock(ctx, *hash)
	if err != nil {
		return nil, fmt.Errorf("anchor: block %d %s: %w", height, *hash, err)
	}
	return readBlock(ctx, w.src, w.prefix(), height, msg, w.log())
}

// getBlock reads a block from Blocks, falling back to Chain: a block source failing (a dropped peer
// connection, a pruned or still-syncing REST server) slows the scan down but does not stop it.
func (w *Watcher) getBlock(ctx context.Context, hash chainhash.Hash) (*wire.MsgBlock, error) {
	if w.Blocks == nil {
		return w.Chain.GetBlock(ctx, hash)
	}
	msg, err := w.Blocks.GetBlock(ctx, hash)
	if err == nil {
		if got := msg.BlockHash(); got != hash {
			err = fmt.Errorf("anchor: block source returned block %s for %s", got, hash)
		}
	}
	if err == nil || ctx.Err() != nil {
		return msg, err
	}
	w.log().Warn("block source failed, reading the block over RPC", "hash", hash, "err", err)
	return w.Chain.GetBlock(ctx, hash)
}
