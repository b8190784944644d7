package p2pchain

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// ErrNoPeer is returned when no connected peer could serve a block: every one was tried, or none is
// connected. The watcher retries at its next poll, by when replacements may have connected.
var ErrNoPeer = errors.New("p2pchain: no peer served the block")

// errBadBlock is a block that does not match its header.
var errBadBlock = errors.New("p2pchain: block does not match its header")

// GetBlock fetches a block whose header is in the chain, from the least busy peer that has it, and
// verifies it against the header. A peer that sends a block not matching its header is banned; one
// that stalls is replaced; one that answers notfound for a block it announced is recorded as
// withholding. Each failure moves on to another peer (anchor.Chain).
func (s *Source) GetBlock(ctx context.Context, hash chainhash.Hash) (*wire.MsgBlock, error) {
	height, merkleRoot, best, ok := s.headers.Lookup(hash)
	if !ok {
		return nil, fmt.Errorf("p2pchain: block %s: no such header", hash)
	}
	s.mu.Lock()
	s.inflight++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inflight--
		s.notify()
		s.mu.Unlock()
	}()
	tried := make(map[*peerConn]bool)
	for {
		pc := s.pickPeer(height, tried)
		if pc == nil {
			return nil, fmt.Errorf("%w: %s at height %d (%d tried)", ErrNoPeer, hash, height, len(tried))
		}
		tried[pc] = true
		msg, err := pc.request(ctx, hash, s.cfg.BlockTimeout)
		var ids []chainhash.Hash
		if err == nil {
			ids, err = verifyBlock(msg, hash, merkleRoot)
		}
		switch {
		case err == nil:
			pc.mu.Lock()
			pc.served++
			pc.mu.Unlock()
			s.blockServed(height, best, msg, ids)
			return msg, nil
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.Is(err, errBadBlock):
			s.punish(pc, KindInvalidBlock, err.Error())
		case errors.Is(err, errStalled):
			s.punish(pc, KindStall, fmt.Sprintf("block %s not served in %v", hash, s.cfg.BlockTimeout))
		case errors.Is(err, errNotFound):
			pc.mu.Lock()
			pc.failed++
			pc.mu.Unlock()
			if pc.announcedBlock(hash, height) {
				s.punish(pc, KindWithholding, fmt.Sprintf("notfound for block %s at height %d, whose header it announced", hash, height))
			}
		}
		s.log.Debug("block fetch failed, trying another peer", "hash", hash, "peer", pc.addr, "err", err)
	}
}

// pickPeer returns the connected peer with the fewest requests in flight that may have the block at
// height and was not tried yet.
func (s *Source) pickPeer(height int64, tried map[*peerConn]bool) *peerConn {
	s.mu.Lock()
	candidates := make([]*peerConn, 0, len(s.peers))
	for _, pc := range s.peers {
		if !tried[pc] && pc.has(height) {
			candidates = append(candidates, pc)
		}
	}
	s.mu.Unlock()
	if len(candidates) == 0 {
		return nil
	}
	sort.Slice(candidates, func(i, j int) bool {
		li, lj := candidates[i].load(), candidates[j].load()
		if li != lj {
			return li < lj
		}
		return candidates[i].addr < candidates[j].addr
	})
	return candidates[0]
}

// verifyBlock checks a block against the header it was requested by: its hash (so the header is the
// one we validated), its transactions' Merkle root, no duplicated transactions (CVE-2012-2459: a
// mutated list with the same root) and its witness commitment. btcd's wire has already bounded the
// message to the maximum block size. It returns the transactions' IDs, which the Merkle root needed:
// hashing a mainnet block's transactions costs milliseconds, so the index reuses them.
func verifyBlock(msg *wire.MsgBlock, hash, merkleRoot chainhash.Hash) ([]chainhash.Hash, error) {
	if got := msg.BlockHash(); got != hash {
		return nil, fmt.Errorf("%w: got block %s for %s", errBadBlock, got, hash)
	}
	if len(msg.Transactions) == 0 {
		return nil, fmt.Errorf("%w: no transactions", errBadBlock)
	}
	block := btcutil.NewBlock(msg)
	txs := block.Transactions()
	if root := blockchain.CalcMerkleRoot(txs, false); root != merkleRoot {
		return nil, fmt.Errorf("%w: transactions' Merkle root %s, header's %s", errBadBlock, root, merkleRoot)
	}
	ids := make([]chainhash.Hash, len(txs))
	seen := make(map[chainhash.Hash]struct{}, len(txs))
	for i, tx := range txs {
		ids[i] = *tx.Hash() // computed for the Merkle root, kept by btcutil.Tx
		if _, dup := seen[ids[i]]; dup {
			return nil, fmt.Errorf("%w: transaction %s appears twice", errBadBlock, tx.Hash())
		}
		seen[ids[i]] = struct{}{}
	}
	if err := blockchain.ValidateWitnessCommitment(block); err != nil {
		return nil, fmt.Errorf("%w: %w", errBadBlock, err)
	}
	return ids, nil
}

// blockServed remembers a verified block's transactions for GetRawTransaction and its height for Status.
func (s *Source) blockServed(height int64, best bool, msg *wire.MsgBlock, ids []chainhash.Hash) {
	s.txs.add(height, msg, ids)
	s.mu.Lock()
	if best && height > s.served {
		s.served = height
	}
	s.mu.Unlock()
}
