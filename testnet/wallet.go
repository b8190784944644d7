package testnet

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/internal/blocking"
)

// ErrInsufficientFunds is returned by Fund when the harness key cannot pay, even after mining (the
// node mines to another address).
var ErrInsufficientFunds = errors.New("testnet: harness has insufficient mature coins")

const (
	coinbaseMaturity = 100
	harnessFeeRate   = 10 // satoshis per byte, well above btcd's default minimum relay fee
	dustLimit        = 546
)

type coin struct {
	value    int64
	height   int64 // 0 while unconfirmed
	coinbase bool
}

// harnessWallet is the harness's own key: it learns its coins by scanning the chain and spends them
// with P2PKH signatures.
type harnessWallet struct {
	mu       sync.Mutex
	key      *btcec.PrivateKey
	addr     *address.AddressPubKeyHash
	pkScript []byte
	coins    map[wire.OutPoint]coin
	spent    map[wire.OutPoint]bool // spent by our own unconfirmed transactions
	hashes   []chainhash.Hash       // hashes[h] of the scanned chain, for reorg detection
}

func newHarnessWallet() (*harnessWallet, error) {
	key, err := btcec.NewPrivateKey()
	if err != nil {
		return nil, fmt.Errorf("testnet: harness key: %w", err)
	}
	addr, err := address.NewAddressPubKeyHash(address.Hash160(key.PubKey().SerializeCompressed()), Params)
	if err != nil {
		return nil, fmt.Errorf("testnet: harness address: %w", err)
	}
	pkScript, err := txscript.PayToAddrScript(addr)
	if err != nil {
		return nil, fmt.Errorf("testnet: harness script: %w", err)
	}
	return &harnessWallet{key: key, addr: addr, pkScript: pkScript,
		coins: map[wire.OutPoint]coin{}, spent: map[wire.OutPoint]bool{}}, nil
}

// HarnessAddr is the address of the harness key (the default mining address).
func (n *Node) HarnessAddr() string { return n.wallet.addr.EncodeAddress() }

// sync scans blocks the wallet has not seen; on a reorg it rescans from the genesis block (regtest
// chains are short).
func (n *Node) sync(ctx context.Context) (tip int64, err error) {
	w := n.wallet
	tip, err = blocking.Call(ctx, n.client.GetBlockCount)
	if err != nil {
		return 0, err
	}
	if len(w.hashes) > 0 {
		last := int64(len(w.hashes) - 1)
		if last > tip {
			last = tip
		}
		h, err := blocking.Call(ctx, func() (*chainhash.Hash, error) { return n.client.GetBlockHash(last) })
		if err != nil {
			return 0, err
		}
		if *h != w.hashes[last] || int64(len(w.hashes)-1) > tip {
			w.hashes = nil
			w.coins = map[wire.OutPoint]coin{}
		}
	}
	for h := int64(len(w.hashes)); h <= tip; h++ {
		hash, err := blocking.Call(ctx, func() (*chainhash.Hash, error) { return n.client.GetBlockHash(h) })
		if err != nil {
			return 0, err
		}
		block, err := blocking.Call(ctx, func() (*wire.MsgBlock, error) { return n.client.GetBlock(hash) })
		if err != nil {
			return 0, err
		}
		for i, tx := range block.Transactions {
			if i > 0 {
				for _, in := range tx.TxIn {
					delete(w.coins, in.PreviousOutPoint)
					delete(w.spent, in.PreviousOutPoint)
				}
			}
			txid := tx.TxHash()
			for vout, out := range tx.TxOut {
				if string(out.PkScript) == string(w.pkScript) {
					w.coins[wire.OutPoint{Hash: txid, Index: uint32(vout)}] = coin{value: out.Value, height: h, coinbase: i == 0}
				}
			}
		}
		w.hashes = append(w.hashes, *hash)
	}
	return tip, nil
}

// Fund sends amount to addr from the harness key and returns the paying output. The transaction is
// broadcast, not mined: call Generate to confirm it. When the harness lacks mature coins it mines
// blocks to itself first (coinbase outputs mature after 100 blocks).
func (n *Node) Fund(ctx context.Context, addr string, amount btcutil.Amount) (wire.OutPoint, error) {
	dest, err := address.DecodeAddress(addr, Params)
	if err != nil {
		return wire.OutPoint{}, fmt.Errorf("testnet: fund: %w", err)
	}
	destScript, err := txscript.PayToAddrScript(dest)
	if err != nil {
		return wire.OutPoint{}, fmt.Errorf("testnet: fund: %w", err)
	}
	return n.Send(ctx, []*wire.TxOut{wire.NewTxOut(int64(amount), destScript)})
}

// Send pays the given outputs from the harness key (change returns to it) and returns the first
// output's outpoint. Outputs may have any script: tests use it to put arbitrary data on the chain.
func (n *Node) Send(ctx context.Context, outs []*wire.TxOut) (wire.OutPoint, error) {
	w := n.wallet
	w.mu.Lock()
	defer w.mu.Unlock()
	var need int64
	for _, o := range outs {
		need += o.Value
	}
	for attempt := 0; ; attempt++ {
		tip, err := n.sync(ctx)
		if err != nil {
			return wire.OutPoint{}, fmt.Errorf("testnet: fund: %w", err)
		}
		tx, ok, err := w.build(outs, need, tip)
		if err != nil {
			return wire.OutPoint{}, err
		}
		if ok {
			if _, err := blocking.Call(ctx, func() (*chainhash.Hash, error) { return n.client.SendRawTransaction(tx, true) }); err != nil {
				return wire.OutPoint{}, fmt.Errorf("testnet: fund: send: %w", err)
			}
			w.record(tx)
			return wire.OutPoint{Hash: tx.TxHash(), Index: 0}, nil
		}
		if attempt >= 3 || n.cfg.MiningAddr != w.addr.EncodeAddress() {
			return wire.OutPoint{}, ErrInsufficientFunds
		}
		blocks := w.blocksToMature(tip)
		n.log.Debug("harness mining to mature coins", "blocks", blocks)
		if _, err := n.Generate(ctx, blocks); err != nil {
			return wire.OutPoint{}, err
		}
	}
}

// blocksToMature is how many blocks to mine so that the oldest immature coinbase matures, or so that a
// first coinbase does.
func (w *harnessWallet) blocksToMature(tip int64) uint32 {
	oldest := int64(-1)
	for op, c := range w.coins {
		if c.coinbase && !w.spent[op] && !mature(c, tip) && (oldest < 0 || c.height < oldest) {
			oldest = c.height
		}
	}
	if oldest < 0 {
		return coinbaseMaturity + 1
	}
	return uint32(oldest + coinbaseMaturity - tip)
}

func mature(c coin, tip int64) bool {
	return !c.coinbase || tip+1-c.height >= coinbaseMaturity
}

// build selects spendable coins (largest first) and signs a transaction; ok is false when the coins
// do not cover the outputs and the fee.
func (w *harnessWallet) build(outs []*wire.TxOut, need int64, tip int64) (*wire.MsgTx, bool, error) {
	type spendable struct {
		op wire.OutPoint
		c  coin
	}
	var avail []spendable
	for op, c := range w.coins {
		if !w.spent[op] && mature(c, tip) {
			avail = append(avail, spendable{op, c})
		}
	}
	sort.Slice(avail, func(i, j int) bool {
		if avail[i].c.value != avail[j].c.value {
			return avail[i].c.value > avail[j].c.value
		}
		return avail[i].op.String() < avail[j].op.String()
	})
	tx := wire.NewMsgTx(2)
	for _, o := range outs {
		tx.AddTxOut(o)
	}
	var in int64
	for _, s := range avail {
		tx.AddTxIn(wire.NewTxIn(&s.op, nil, nil))
		in += s.c.value
		fee := int64(harnessFeeRate * (10 + 148*len(tx.TxIn) + 34*(len(outs)+1) + scriptBytes(outs)))
		if in < need+fee {
			continue
		}
		if change := in - need - fee; change >= dustLimit {
			tx.AddTxOut(wire.NewTxOut(change, w.pkScript))
		}
		for i := range tx.TxIn {
			sig, err := txscript.SignatureScript(tx, i, w.pkScript, txscript.SigHashAll, w.key, true)
			if err != nil {
				return nil, false, fmt.Errorf("testnet: sign: %w", err)
			}
			tx.TxIn[i].SignatureScript = sig
		}
		return tx, true, nil
	}
	return nil, false, nil
}

func scriptBytes(outs []*wire.TxOut) int {
	n := 0
	for _, o := range outs {
		n += len(o.PkScript)
	}
	return n
}

// record marks a sent transaction's inputs spent and its change as an unconfirmed coin.
func (w *harnessWallet) record(tx *wire.MsgTx) {
	for _, in := range tx.TxIn {
		w.spent[in.PreviousOutPoint] = true
	}
	txid := tx.TxHash()
	for i, out := range tx.TxOut {
		if string(out.PkScript) == string(w.pkScript) {
			w.coins[wire.OutPoint{Hash: txid, Index: uint32(i)}] = coin{value: out.Value}
		}
	}
}
