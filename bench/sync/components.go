package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/btcsuite/btcd/rpcclient"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/anchor/ionrules"
	"github.com/ionode/ionode/cas"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/node/store/mongo"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// componentNode is the node's observer side wired as node/daemon wires it (same components, same
// settings: ION's 20 concurrent downloads, one confirmation, per-block selection and fee window), plus
// a value time lock resolver for the FileProcessor.
type componentNode struct {
	network sidetree.Network
	store   store.Store
	cas     *cas.Node
	rpc     *anchor.RPC
	metrics *node.Metrics
	syncer  *node.Syncer
	cancel  context.CancelFunc
	done    chan error
	failed  error // set once done has delivered

	mu     sync.Mutex
	fees   *ionrules.FeeWindow
	byBlk  map[int64]int64 // normalized fee of each block seen, for lock resolution
	height uint64
}

func startComponents(ctx context.Context, spec nodeSpec, log *slog.Logger) (_ syncNode, err error) {
	fees, err := ionrules.NewFeeWindow(ionrules.BitcoinRegtest(), nil)
	if err != nil {
		return nil, err
	}
	n := &componentNode{network: sidetree.Regtest(), metrics: node.NewMetrics(), fees: fees, byBlk: map[int64]int64{}}
	defer func() {
		if err != nil {
			n.Close(context.Background())
		}
	}()
	if spec.MongoURI != "" {
		n.store, err = mongo.Open(ctx, mongo.Options{URI: spec.MongoURI, Database: "ionode_bench"})
	} else {
		n.store, err = pebble.Open(filepath.Join(spec.Dir, "node", "store"), pebble.Options{})
	}
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if n.cas, err = cas.OpenNode(ctx, cas.NodeConfig{DataDir: filepath.Join(spec.Dir, "node", "ipfs"), Peers: spec.Peers, Logger: log}); err != nil {
		return nil, err
	}
	if n.rpc, err = anchor.DialRPC(&rpcclient.ConnConfig{Host: spec.RPC, User: spec.User, Pass: spec.Pass, HTTPPostMode: true, DisableTLS: true}); err != nil {
		return nil, err
	}
	processor := &node.FileProcessor{Network: n.network, CAS: n.cas, Locks: n, Metrics: n.metrics}
	observer := &node.Observer{Store: n.store, Processor: processor, MaxConcurrentDownloads: 20, Logger: log, Metrics: n.metrics}
	n.syncer = &node.Syncer{Observer: observer, Cursors: n.store, ReadyLag: 2, Metrics: n.metrics, Logger: log}
	watcher := &anchor.Watcher{Chain: n.rpc, Genesis: anchor.RegtestGenesis, Confirmations: 1, Logger: log}
	runCtx, cancel := context.WithCancel(context.Background())
	n.cancel, n.done = cancel, make(chan error, 1)
	go func() { n.done <- watcher.Run(runCtx, anchor.Cursor{}, 100*time.Millisecond, n.emit) }()
	return n, nil
}

// emit is node/daemon's chain.emit for blocks: fee window, ION's selection, then the syncer.
func (n *componentNode) emit(ctx context.Context, ev anchor.Event, _ anchor.Cursor) error {
	b, ok := ev.(*anchor.Block)
	if !ok {
		return fmt.Errorf("unexpected chain event %T (the benchmark chain does not reorganize)", ev)
	}
	n.mu.Lock()
	rec, err := n.fees.Add(b.Height, b.TotalFee, int64(b.TransactionCount))
	fee := ionrules.TransactionNormalizedFee(rec.NormalizedFee)
	n.byBlk[b.Height] = fee
	n.mu.Unlock()
	if err != nil {
		return err
	}
	cands := make([]ionrules.Candidate, len(b.Transactions))
	byNumber := map[int64]anchor.Transaction{}
	for i, tx := range b.Transactions {
		cands[i] = ionrules.Candidate{Number: int64(tx.Number), Time: int64(tx.Height), AnchorString: tx.AnchorString, FeePaid: int64(tx.FeePaid), Writer: tx.Writer}
		byNumber[int64(tx.Number)] = tx
	}
	picked, err := ionrules.Select(cands, nil, n.network.ParametersAt(uint64(b.Height)))
	if err != nil {
		return err
	}
	var txs []node.Transaction
	for _, c := range picked {
		tx := byNumber[c.Number]
		txs = append(txs, node.Transaction{Number: tx.Number, Time: tx.Height, TimeHash: tx.BlockHash, AnchorString: tx.AnchorString,
			FeePaid: tx.FeePaid, NormalizedFee: uint64(fee), Writer: tx.Writer})
	}
	if err := n.syncer.Handle(ctx, node.ChainEvent{Height: uint64(b.Height), Tip: uint64(b.Height), Transactions: txs}); err != nil {
		return err
	}
	n.mu.Lock()
	n.height = uint64(b.Height)
	n.mu.Unlock()
	return nil
}

// ValueTimeLock resolves a writer lock id as ION's bitcoin service does (ionrules.ResolveLock: the
// transaction, its freeze script, its confirmation height and duration, that block's normalized fee).
func (n *componentNode) ValueTimeLock(ctx context.Context, identifier string) (*ionrules.ValueTimeLock, error) {
	return ionrules.CoreLock(ctx, identifier, n.rpc, feeSource{n}, ionrules.BitcoinRegtest())
}

type feeSource struct{ n *componentNode }

func (s feeSource) NormalizedFee(_ context.Context, height int64) (int64, bool, error) {
	s.n.mu.Lock()
	defer s.n.mu.Unlock()
	fee, ok := s.n.byBlk[height]
	return fee, ok, nil
}

func (n *componentNode) Store() store.Store     { return n.store }
func (n *componentNode) Metrics() *node.Metrics { return n.metrics }
func (n *componentNode) Height() uint64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.height
}
func (n *componentNode) URL() string { return "" }
func (n *componentNode) Resolver() *ion.Resolver {
	return &ion.Resolver{Network: n.network, Log: n.store, Cache: n.store}
}

// Failed reports the watcher's error once it has stopped.
func (n *componentNode) Failed() error {
	if n.failed == nil {
		select {
		case err := <-n.done:
			n.failed = fmt.Errorf("chain watcher: %w", err)
			if err == nil {
				n.failed = errors.New("chain watcher stopped")
			}
		default:
		}
	}
	return n.failed
}

func (n *componentNode) Close(ctx context.Context) error {
	var errs []error
	if n.cancel != nil {
		n.cancel()
		if n.failed == nil {
			<-n.done
		}
	}
	if n.rpc != nil {
		n.rpc.Close()
	}
	if n.cas != nil {
		errs = append(errs, n.cas.Close())
	}
	if n.store != nil {
		errs = append(errs, n.store.Close(ctx))
	}
	return errors.Join(errs...)
}
