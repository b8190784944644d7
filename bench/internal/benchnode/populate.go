package benchnode

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/ionode/ionode/bench/internal/gen"
	"github.com/ionode/ionode/cas"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// BatchSize is ION's largest batch without a value time lock: populating needs no lock, so the store
// holds exactly what a node would store from such a chain.
const BatchSize = 100

// Populate creates n DIDs in the embedded store of dataDir (dataDir/store, as node/daemon lays it out)
// and returns their suffixes. Transactions are numbered from block 1,000 on, one per block. Every
// DID is then resolved once so its state is materialized, as on a node that has been serving.
func Populate(ctx context.Context, dataDir string, n int, log *slog.Logger) ([]string, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	network := sidetree.Regtest()
	p := network.Latest()
	ipfs, err := cas.OpenNode(ctx, cas.NodeConfig{DataDir: filepath.Join(dataDir, "populate-ipfs"), Logger: log})
	if err != nil {
		return nil, err
	}
	defer ipfs.Close()
	st, err := pebble.Open(filepath.Join(dataDir, "store"), pebble.Options{})
	if err != nil {
		return nil, err
	}
	defer st.Close(context.Background())
	keys, err := gen.NewKeys(nil)
	if err != nil {
		return nil, err
	}
	observer := &node.Observer{Store: st, Processor: &node.FileProcessor{Network: network, CAS: ipfs}, MaxConcurrentDownloads: 20, Logger: log}
	put := func(data []byte) (string, error) { return ipfs.Put(ctx, data) }
	suffixes := make([]string, 0, n)
	const perCall = 50 // transactions handed to the observer at once, as a block's worth
	var txs []node.Transaction
	flush := func() error {
		if len(txs) == 0 {
			return nil
		}
		if _, err := observer.ProcessTransactions(ctx, txs); err != nil {
			return err
		}
		txs = txs[:0]
		return nil
	}
	for first := 0; first < n; first += BatchSize {
		creates, err := gen.Creates(keys, first, min(BatchSize, n-first), p)
		if err != nil {
			return nil, err
		}
		requests := make([][]byte, len(creates))
		for i, c := range creates {
			requests[i] = c.Request
			suffixes = append(suffixes, c.Suffix)
		}
		anchor, _, err := batch.Build(requests, "", p, put)
		if err != nil {
			return nil, err
		}
		height := uint64(1000 + first/BatchSize)
		txs = append(txs, node.Transaction{Number: height * 1_000_000, Time: height, TimeHash: fmt.Sprintf("%064x", height),
			AnchorString: anchor, FeePaid: 10_000, NormalizedFee: 1000, Writer: "bench"})
		if len(txs) == perCall {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if err := warm(ctx, &ion.Resolver{Network: network, Log: st, Cache: st}, suffixes); err != nil {
		return nil, err
	}
	return suffixes, nil
}

// warm resolves every DID once, so the node serves materialized states.
func warm(ctx context.Context, r *ion.Resolver, suffixes []string) error {
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(suffixes) || ctx.Err() != nil {
					return
				}
				if s, err := r.State(ctx, suffixes[i]); err != nil || s == nil {
					once.Do(func() { firstErr = fmt.Errorf("DID %s not stored: %v", suffixes[i], err) })
					return
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}
