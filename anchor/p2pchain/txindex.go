package p2pchain

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// ErrTxUnknown is returned by GetRawTransaction for a transaction outside the blocks scanned recently:
// the P2P protocol cannot look up a confirmed transaction by ID, so only a trusted node
// (Config.Fallback) can answer.
var ErrTxUnknown = errors.New("p2pchain: transaction not in the recently scanned blocks")

// txIndex maps the transaction IDs of the last window blocks served to their block, so that the
// watcher's look-ups of the outputs an ION transaction spends are answered from blocks already
// verified. Only IDs are kept (40 bytes each), the block is fetched again when a look-up hits.
type txIndex struct {
	window int

	mu      sync.Mutex
	byID    map[chainhash.Hash]chainhash.Hash // txid → block hash
	order   []indexedBlock                    // oldest first
	present map[chainhash.Hash]bool
	recent  []*wire.MsgBlock // the last few blocks, to answer look-ups without a second download
}

type indexedBlock struct {
	hash chainhash.Hash
	ids  []chainhash.Hash
}

// recentBlocks is how many whole blocks are kept for look-ups (previous outputs are most often in the
// last few blocks, and the watcher fetches ahead).
const recentBlocks = 16

func newTxIndex(window int) *txIndex {
	return &txIndex{window: window, byID: make(map[chainhash.Hash]chainhash.Hash), present: make(map[chainhash.Hash]bool)}
}

// add indexes a verified block; ids are its transactions' IDs, in order (verifyBlock's).
func (x *txIndex) add(_ int64, msg *wire.MsgBlock, ids []chainhash.Hash) {
	hash := msg.BlockHash()
	x.mu.Lock()
	defer x.mu.Unlock()
	x.recent = append(x.recent, msg)
	if len(x.recent) > recentBlocks {
		x.recent = x.recent[1:]
	}
	if x.present[hash] {
		return
	}
	ib := indexedBlock{hash: hash, ids: ids}
	for _, id := range ids {
		x.byID[id] = hash
	}
	x.present[hash] = true
	x.order = append(x.order, ib)
	for len(x.order) > x.window {
		old := x.order[0]
		x.order = x.order[1:]
		delete(x.present, old.hash)
		for _, id := range old.ids {
			if x.byID[id] == old.hash {
				delete(x.byID, id)
			}
		}
	}
}

// lookup returns the block holding txid and, when it is still kept, the transaction itself.
func (x *txIndex) lookup(txid chainhash.Hash) (block chainhash.Hash, tx *wire.MsgTx, ok bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	block, ok = x.byID[txid]
	if !ok {
		return block, nil, false
	}
	for _, b := range x.recent {
		if b.BlockHash() != block {
			continue
		}
		for _, t := range b.Transactions {
			if t.TxHash() == txid {
				return block, t, true
			}
		}
	}
	return block, nil, true
}

// GetRawTransaction finds a confirmed transaction in the blocks scanned recently (anchor.Chain). While
// other blocks are still being fetched the answer may be among them, so a miss waits for them first.
// Outside the window it asks Config.Fallback, or fails with ErrTxUnknown.
func (s *Source) GetRawTransaction(ctx context.Context, txid chainhash.Hash) (*wire.MsgTx, error) {
	for {
		block, tx, ok := s.txs.lookup(txid)
		if tx != nil {
			return tx, nil
		}
		if ok {
			msg, err := s.GetBlock(ctx, block)
			if err != nil {
				return nil, fmt.Errorf("p2pchain: transaction %s: %w", txid, err)
			}
			for _, t := range msg.Transactions {
				if t.TxHash() == txid {
					return t, nil
				}
			}
			return nil, fmt.Errorf("p2pchain: transaction %s: not in block %s", txid, block)
		}
		s.mu.Lock()
		busy, ch := s.inflight > 0, s.changed
		s.mu.Unlock()
		if !busy {
			break
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if s.cfg.Fallback != nil {
		return s.cfg.Fallback.GetRawTransaction(ctx, txid)
	}
	return nil, fmt.Errorf("%w: %s (configure a trusted node for older ones)", ErrTxUnknown, txid)
}
