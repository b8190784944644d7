package anchor

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/btcsuite/btcd/btcjson"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/rpcclient"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor/ionrules"
	"github.com/ionode/ionode/internal/blocking"
)

// Chain is what the watcher needs of a Bitcoin node. Transactions are looked up by id, so the node
// must keep a transaction index (btcd --txindex, bitcoind -txindex=1).
type Chain interface {
	GetBlockCount(ctx context.Context) (int64, error)
	GetBlockHash(ctx context.Context, height int64) (chainhash.Hash, error)
	GetBlock(ctx context.Context, hash chainhash.Hash) (*wire.MsgBlock, error)
	GetRawTransaction(ctx context.Context, txid chainhash.Hash) (*wire.MsgTx, error)
}

// TxStatus is what a node knows of a transaction.
type TxStatus struct {
	Found         bool  // in the mempool or the chain
	Confirmations int64 // 0 while in the mempool
	BlockHash     chainhash.Hash
	Coinbase      bool // the block's first transaction: its outputs mature after 100 blocks
}

// WalletChain is what the writer needs of a Bitcoin node.
type WalletChain interface {
	Chain
	// SendRawTransaction broadcasts a signed transaction.
	SendRawTransaction(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error)
	// EstimateFeeRate returns the node's fee-rate estimate in satoshis per 1,000 virtual bytes for
	// confirmation within target blocks; an error when it has none (btcd, a fresh regtest).
	EstimateFeeRate(ctx context.Context, target int64) (int64, error)
	// TransactionStatus looks a transaction up in the mempool and the chain.
	TransactionStatus(ctx context.Context, txid chainhash.Hash) (TxStatus, error)
	// ListUnspent returns the outputs a Bitcoin Core wallet knows for an address; ErrNoWallet when the
	// node has no wallet (btcd, or bitcoind without one).
	ListUnspent(ctx context.Context, address string) ([]UnspentOutput, error)
}

// UnspentOutput is an output a Bitcoin Core wallet reports (listunspent).
type UnspentOutput struct {
	Outpoint
	Value         int64 // satoshis
	PkScript      []byte
	Confirmations int64
}

// ErrNoWallet is returned by ListUnspent when the node has no wallet.
var ErrNoWallet = errors.New("anchor: node has no wallet")

// RPC implements WalletChain over btcsuite's rpcclient in HTTP POST mode, against btcd or Bitcoin Core.
type RPC struct {
	c *rpcclient.Client
	// fast serves the per-block calls (block count, hash, block, raw transaction) when DialRPC could
	// build it; nil with NewRPC or a proxy.
	fast *jsonRPC
}

// DialRPC connects to a node's JSON-RPC server. The configuration is forced to HTTP POST mode (Bitcoin
// Core has no websockets).
func DialRPC(cfg *rpcclient.ConnConfig) (*RPC, error) {
	c := *cfg
	c.HTTPPostMode = true
	client, err := rpcclient.New(&c, nil)
	if err != nil {
		return nil, fmt.Errorf("anchor: rpc: %w", err)
	}
	fast, err := newJSONRPC(&c)
	if err != nil {
		client.Shutdown()
		return nil, err
	}
	return &RPC{c: client, fast: fast}, nil
}

// NewRPC wraps an existing client, which must be in HTTP POST mode. Every call then goes through it,
// one at a time: DialRPC's client is faster.
func NewRPC(c *rpcclient.Client) *RPC { return &RPC{c: c} }

// Close shuts the client down.
func (r *RPC) Close() {
	r.c.Shutdown()
	if r.fast != nil {
		r.fast.close()
	}
}

func (r *RPC) GetBlockCount(ctx context.Context) (int64, error) {
	if r.fast != nil {
		var n int64
		err := r.fast.call(ctx, &n, "getblockcount")
		return n, err
	}
	return blocking.Call(ctx, r.c.GetBlockCount)
}

func (r *RPC) GetBlockHash(ctx context.Context, height int64) (chainhash.Hash, error) {
	if r.fast != nil {
		var s string
		if err := r.fast.call(ctx, &s, "getblockhash", height); err != nil {
			return chainhash.Hash{}, err
		}
		h, err := chainhash.NewHashFromStr(s)
		if err != nil {
			return chainhash.Hash{}, fmt.Errorf("anchor: getblockhash %d: %w", height, err)
		}
		return *h, nil
	}
	h, err := blocking.Call(ctx, func() (*chainhash.Hash, error) { return r.c.GetBlockHash(height) })
	if err != nil {
		return chainhash.Hash{}, err
	}
	return *h, nil
}

// GetBlockHashes returns the hashes of the main-chain blocks at heights from to from+count-1, in one
// JSON-RPC batch request when it can (the watcher looks hashes up this way when its Chain has this
// method).
func (r *RPC) GetBlockHashes(ctx context.Context, from int64, count int) ([]chainhash.Hash, error) {
	out := make([]chainhash.Hash, count)
	if r.fast == nil || count == 1 {
		for i := range out {
			h, err := r.GetBlockHash(ctx, from+int64(i))
			if err != nil {
				return nil, err
			}
			out[i] = h
		}
		return out, nil
	}
	params := make([][]any, count)
	for i := range params {
		params[i] = []any{from + int64(i)}
	}
	results, err := r.fast.batch(ctx, "getblockhash", params)
	if err != nil {
		return nil, err
	}
	for i, res := range results {
		var s string
		if err := json.Unmarshal(res, &s); err != nil {
			return nil, fmt.Errorf("anchor: getblockhash %d: %w", from+int64(i), err)
		}
		h, err := chainhash.NewHashFromStr(s)
		if err != nil {
			return nil, fmt.Errorf("anchor: getblockhash %d: %w", from+int64(i), err)
		}
		out[i] = *h
	}
	return out, nil
}

func (r *RPC) GetBlock(ctx context.Context, hash chainhash.Hash) (*wire.MsgBlock, error) {
	if r.fast != nil {
		raw, err := r.fast.callHex(ctx, "getblock", hash.String(), 0)
		if err != nil {
			return nil, err
		}
		var b wire.MsgBlock
		if err := b.Deserialize(bytes.NewReader(raw)); err != nil {
			return nil, fmt.Errorf("anchor: getblock %s: %w", hash, err)
		}
		return &b, nil
	}
	return blocking.Call(ctx, func() (*wire.MsgBlock, error) { return r.c.GetBlock(&hash) })
}

func (r *RPC) GetRawTransaction(ctx context.Context, txid chainhash.Hash) (*wire.MsgTx, error) {
	if r.fast != nil {
		raw, err := r.fast.callHex(ctx, "getrawtransaction", txid.String(), 0)
		if err != nil {
			return nil, err
		}
		var tx wire.MsgTx
		if err := tx.Deserialize(bytes.NewReader(raw)); err != nil {
			return nil, fmt.Errorf("anchor: getrawtransaction %s: %w", txid, err)
		}
		return &tx, nil
	}
	tx, err := blocking.Call(ctx, func() (*btcutil.Tx, error) { return r.c.GetRawTransaction(&txid) })
	if err != nil {
		return nil, err
	}
	return tx.MsgTx(), nil
}

func (r *RPC) SendRawTransaction(ctx context.Context, tx *wire.MsgTx) (chainhash.Hash, error) {
	h, err := blocking.Call(ctx, func() (*chainhash.Hash, error) { return r.c.SendRawTransaction(tx, false) })
	if err != nil {
		return chainhash.Hash{}, err
	}
	return *h, nil
}

func (r *RPC) EstimateFeeRate(ctx context.Context, target int64) (int64, error) {
	res, err := blocking.Call(ctx, func() (*btcjson.EstimateSmartFeeResult, error) { return r.c.EstimateSmartFee(target, nil) })
	if err != nil {
		return 0, err
	}
	if res.FeeRate == nil || *res.FeeRate <= 0 {
		return 0, fmt.Errorf("anchor: no fee estimate: %v", res.Errors)
	}
	return int64(math.Ceil(*res.FeeRate * 1e8)), nil
}

func (r *RPC) TransactionStatus(ctx context.Context, txid chainhash.Hash) (TxStatus, error) {
	res, err := blocking.Call(ctx, func() (*btcjson.TxRawResult, error) { return r.c.GetRawTransactionVerbose(&txid) })
	if err != nil {
		var rpcErr *btcjson.RPCError
		if errors.As(err, &rpcErr) && rpcErr.Code == btcjson.ErrRPCNoTxInfo {
			return TxStatus{}, nil
		}
		return TxStatus{}, err
	}
	st := TxStatus{Found: true, Confirmations: int64(res.Confirmations), Coinbase: len(res.Vin) > 0 && res.Vin[0].IsCoinBase()}
	if res.BlockHash != "" {
		if h, err := chainhash.NewHashFromStr(res.BlockHash); err == nil {
			st.BlockHash = *h
		}
	}
	return st, nil
}

func (r *RPC) ListUnspent(ctx context.Context, address string) ([]UnspentOutput, error) {
	addrs, err := json.Marshal([]string{address})
	if err != nil {
		return nil, err
	}
	raw, err := blocking.Call(ctx, func() (json.RawMessage, error) {
		return r.c.RawRequest("listunspent", []json.RawMessage{json.RawMessage("0"), json.RawMessage("9999999"), addrs})
	})
	if err != nil {
		var rpcErr *btcjson.RPCError
		if errors.As(err, &rpcErr) && (rpcErr.Code == btcjson.ErrRPCMethodNotFound.Code ||
			rpcErr.Code == btcjson.ErrRPCWalletNotFound || rpcErr.Code == btcjson.ErrRPCNoWallet) {
			return nil, ErrNoWallet
		}
		return nil, err
	}
	var list []btcjson.ListUnspentResult
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("anchor: listunspent: %w", err)
	}
	out := make([]UnspentOutput, 0, len(list))
	for _, u := range list {
		script, err := hex.DecodeString(u.ScriptPubKey)
		if err != nil {
			continue
		}
		amt, err := btcutil.NewAmount(u.Amount)
		if err != nil {
			continue
		}
		out = append(out, UnspentOutput{Outpoint: Outpoint{TxID: u.TxID, Vout: u.Vout}, Value: int64(amt),
			PkScript: script, Confirmations: u.Confirmations})
	}
	return out, nil
}

// LockTransaction implements ionrules.LockTransactionSource as ION's bitcoin service reads a lock
// transaction (BitcoinClient.getRawTransaction, then getBlockInfo of its block): getrawtransaction
// verbose, and getblockheader of the block it confirmed in for the height. The node needs a transaction
// index. An id the node does not know is ionrules.ErrTransactionNotFound; a transaction in the mempool
// or in a block off the active chain (confirmations ≤ 0) is returned unconfirmed.
func (r *RPC) LockTransaction(ctx context.Context, txid chainhash.Hash) (ionrules.LockTransaction, error) {
	var res btcjson.TxRawResult
	err := r.rawCall(ctx, &res, "getrawtransaction", txid.String(), 1)
	var rpcErr *btcjson.RPCError
	if errors.As(err, &rpcErr) && (rpcErr.Code == btcjson.ErrRPCNoTxInfo || rpcErr.Code == btcjson.ErrRPCInvalidAddressOrKey) {
		return ionrules.LockTransaction{}, fmt.Errorf("%w: %s: %v", ionrules.ErrTransactionNotFound, txid, err)
	}
	if err != nil {
		return ionrules.LockTransaction{}, fmt.Errorf("anchor: getrawtransaction %s: %w", txid, err)
	}
	raw, err := hex.DecodeString(res.Hex)
	if err != nil {
		return ionrules.LockTransaction{}, fmt.Errorf("anchor: getrawtransaction %s: %w", txid, err)
	}
	var tx wire.MsgTx
	if err := tx.Deserialize(bytes.NewReader(raw)); err != nil {
		return ionrules.LockTransaction{}, fmt.Errorf("anchor: getrawtransaction %s: %w", txid, err)
	}
	lt := ionrules.LockTransaction{Tx: &tx}
	if res.Confirmations <= 0 || res.BlockHash == "" {
		return lt, nil
	}
	var header btcjson.GetBlockHeaderVerboseResult
	if err := r.rawCall(ctx, &header, "getblockheader", res.BlockHash, true); err != nil {
		return ionrules.LockTransaction{}, fmt.Errorf("anchor: getblockheader %s: %w", res.BlockHash, err)
	}
	lt.Confirmed, lt.BlockHeight = true, int64(header.Height)
	return lt, nil
}

// rawCall runs a JSON-RPC request with a small result, through the context-aware client when there is
// one. RPC errors come back as *btcjson.RPCError either way.
func (r *RPC) rawCall(ctx context.Context, out any, method string, params ...any) error {
	if r.fast != nil {
		return r.fast.call(ctx, out, method, params...)
	}
	args := make([]json.RawMessage, len(params))
	for i, p := range params {
		b, err := json.Marshal(p)
		if err != nil {
			return err
		}
		args[i] = b
	}
	res, err := blocking.Call(ctx, func() (json.RawMessage, error) { return r.c.RawRequest(method, args) })
	if err != nil {
		return err
	}
	return json.Unmarshal(res, out)
}
