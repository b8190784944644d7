package p2pchain

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor"
)

// The writer's side over P2P (anchor.WalletChain): broadcast with tx messages, status from the blocks
// scanned, outputs learnt from those blocks (there is no wallet to ask), no fee estimates.

// rejectWait is how long SendRawTransaction waits for a peer's reject message: btcd sends one at once
// for a transaction its mempool refuses (Bitcoin Core no longer does, BIP 61).
const rejectWait = time.Second

// sentFor is how long a broadcast transaction counts as in the mempool without a block holding it; the
// writer rebroadcasts it after that (a duplicate is harmless).
const sentFor = time.Hour

// ErrNoFeeEstimate is EstimateFeeRate's answer: the P2P protocol has no fee estimates (the writer then
// uses its fallback rate).
var ErrNoFeeEstimate = errors.New("p2pchain: no fee estimates over P2P")

// ErrRejected is returned when a peer rejected a broadcast transaction.
var ErrRejected = errors.New("p2pchain: transaction rejected by a peer")

type sentTx struct {
	at     time.Time
	reject string // a peer's reason, empty while none rejected it
}

// SendRawTransaction sends the transaction to every connected peer and waits briefly for a rejection.
func (s *Source) SendRawTransaction(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	txid := tx.TxHash()
	s.mu.Lock()
	peers := make([]*peerConn, 0, len(s.peers))
	for _, pc := range s.peers {
		peers = append(peers, pc)
	}
	now := time.Now()
	for id, st := range s.sent {
		if now.Sub(st.at) > sentFor {
			delete(s.sent, id)
		}
	}
	s.sent[txid] = sentTx{at: now}
	s.mu.Unlock()
	if len(peers) == 0 {
		return txid, fmt.Errorf("%w: broadcast %s", ErrNoPeer, txid)
	}
	for _, pc := range peers {
		pc.p.QueueMessage(tx, nil)
	}
	timer := time.NewTimer(rejectWait)
	defer timer.Stop()
	for {
		s.mu.Lock()
		reason, ch := s.sent[txid].reject, s.changed
		s.mu.Unlock()
		if reason != "" {
			return txid, fmt.Errorf("%w: %s: %s", ErrRejected, txid, reason)
		}
		select {
		case <-ch:
		case <-timer.C:
			return txid, nil
		case <-ctx.Done():
			return txid, ctx.Err()
		}
	}
}

// onReject records a peer's rejection of a transaction we sent ("already have it" is no rejection).
func (s *Source) onReject(addr string, msg *wire.MsgReject) {
	if msg.Cmd != wire.CmdTx || msg.Code == wire.RejectDuplicate {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.sent[msg.Hash]
	if !ok {
		return
	}
	st.reject = fmt.Sprintf("%s (%v, from %s)", msg.Reason, msg.Code, addr)
	s.sent[msg.Hash] = st
	s.notify()
}

// TransactionStatus answers from the blocks scanned (confirmations on the best chain) and from the
// transactions broadcast in the last hour and not rejected (taken to be in the mempool).
func (s *Source) TransactionStatus(ctx context.Context, txid chainhash.Hash) (anchor.TxStatus, error) {
	if block, _, ok := s.txs.lookup(txid); ok {
		if height, _, best, known := s.headers.Lookup(block); known && best {
			tx, err := s.GetRawTransaction(ctx, txid)
			if err != nil {
				return anchor.TxStatus{}, err
			}
			coinbase := len(tx.TxIn) == 1 && tx.TxIn[0].PreviousOutPoint.Index == wire.MaxPrevOutIndex &&
				tx.TxIn[0].PreviousOutPoint.Hash == (chainhash.Hash{})
			return anchor.TxStatus{Found: true, Confirmations: s.headers.Tip().Height - height + 1, BlockHash: block, Coinbase: coinbase}, nil
		}
	}
	s.mu.Lock()
	st, ok := s.sent[txid]
	s.mu.Unlock()
	if ok && st.reject == "" && time.Since(st.at) <= sentFor {
		return anchor.TxStatus{Found: true}, nil
	}
	return anchor.TxStatus{}, nil
}

// EstimateFeeRate has no answer over P2P (ErrNoFeeEstimate).
func (s *Source) EstimateFeeRate(context.Context, int64) (int64, error) { return 0, ErrNoFeeEstimate }

// ListUnspent has no wallet to ask: the writer learns its outputs from the blocks scanned.
func (s *Source) ListUnspent(context.Context, string) ([]anchor.UnspentOutput, error) {
	return nil, anchor.ErrNoWallet
}

var _ anchor.WalletChain = (*Source)(nil)
