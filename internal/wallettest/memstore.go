// Package wallettest provides an in-memory anchor.WalletStore for tests: one MemStore shared by
// successive Writers simulates a process that restarts over the same database.
package wallettest

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/ionode/ionode/anchor"
)

// MemStore is an in-memory anchor.WalletStore. The zero value is ready to use.
type MemStore struct {
	mu      sync.Mutex
	utxos   map[anchor.Outpoint]anchor.UTXO
	pending map[string]anchor.PendingTx
}

var _ anchor.WalletStore = (*MemStore)(nil)

func (s *MemStore) init() {
	if s.utxos == nil {
		s.utxos = map[anchor.Outpoint]anchor.UTXO{}
		s.pending = map[string]anchor.PendingTx{}
	}
}

func clone(u anchor.UTXO) anchor.UTXO {
	u.PkScript = slices.Clone(u.PkScript)
	return u
}

func (s *MemStore) PutUTXOs(_ context.Context, utxos ...anchor.UTXO) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	for _, u := range utxos {
		s.utxos[u.Outpoint] = clone(u)
	}
	return nil
}

func (s *MemStore) GetUTXO(_ context.Context, op anchor.Outpoint) (anchor.UTXO, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	u, ok := s.utxos[op]
	return clone(u), ok, nil
}

func (s *MemStore) UTXOs(context.Context) ([]anchor.UTXO, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	out := make([]anchor.UTXO, 0, len(s.utxos))
	for _, u := range s.utxos {
		out = append(out, clone(u))
	}
	slices.SortFunc(out, func(a, b anchor.UTXO) int {
		return cmp.Or(cmp.Compare(a.TxID, b.TxID), cmp.Compare(a.Vout, b.Vout))
	})
	return out, nil
}

func (s *MemStore) DeleteUTXOs(_ context.Context, ops ...anchor.Outpoint) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	for _, op := range ops {
		delete(s.utxos, op)
	}
	return nil
}

func (s *MemStore) PutPendingTx(_ context.Context, tx anchor.PendingTx, utxos ...anchor.UTXO) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	for _, u := range utxos {
		s.utxos[u.Outpoint] = clone(u)
	}
	tx.Raw = slices.Clone(tx.Raw)
	s.pending[tx.TxID] = tx
	return nil
}

func (s *MemStore) GetPendingTx(_ context.Context, txid string) (anchor.PendingTx, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	p, ok := s.pending[txid]
	p.Raw = slices.Clone(p.Raw)
	return p, ok, nil
}

func (s *MemStore) PendingTxs(context.Context) ([]anchor.PendingTx, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	out := make([]anchor.PendingTx, 0, len(s.pending))
	for _, p := range s.pending {
		p.Raw = slices.Clone(p.Raw)
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b anchor.PendingTx) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.TxID, b.TxID))
	})
	return out, nil
}

func (s *MemStore) DeletePendingTx(_ context.Context, txid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	delete(s.pending, txid)
	return nil
}
