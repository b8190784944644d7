package anchor

import (
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
	lru "github.com/hashicorp/golang-lru/v2"
)

// Event is what the watcher reports: a *Block or a *Reorg.
type Event interface{ isEvent() }

// Block is a block the watcher read, with its ION transactions in order.
type Block struct {
	Height       int64
	Hash         chainhash.Hash
	PreviousHash chainhash.Hash
	Transactions []Transaction
	// TransactionCount and TotalFee feed ION's normalized fee (BitcoinProcessor.processBlock): the
	// number of transactions in the block, and the coinbase outputs minus the block reward as ION
	// computes it (halving every 210,000 blocks whatever the network, so negative on regtest after
	// height 150, as in ION).
	TransactionCount int
	TotalFee         int64
	// Raw is the block itself, for the writer to learn its outputs from; valid during the event only.
	Raw *wire.MsgBlock
}

// Reorg reports that the blocks above ForkHeight, already reported, are no longer in the chain: every
// transaction numbered above RevertAfterTransactionNumber is reverted. The blocks of the new branch
// follow as Block events.
type Reorg struct {
	ForkHeight                   int64 // last block still in the chain (genesis-1 when none is)
	RevertAfterTransactionNumber uint64
}

func (*Block) isEvent() {}
func (*Reorg) isEvent() {}

// Transaction is an ION transaction as the reference's bitcoin service reports it.
type Transaction struct {
	Number       uint64 // height × 1,000,000 + index in block
	Height       uint64 // ION's transactionTime
	BlockHash    string // ION's transactionTimeHash
	Index        int    // index of the transaction in its block
	TxID         string
	AnchorString string // after the prefix; may be malformed (see Anchor)
	FeePaid      uint64 // satoshis: inputs minus outputs
	Writer       string // hex public key hash of the output the first input spends
}

// Anchor parses the anchor string; an error means ION ignores the transaction's content (it still
// counts as its writer's transaction in the block).
func (t Transaction) Anchor() (Anchor, error) { return ParseAnchorString(t.AnchorString) }

// blockReward is ION's getBitcoinBlockReward.
func blockReward(height int64) int64 {
	halvings := height / 210_000
	if halvings >= 64 {
		return 0
	}
	return 5_000_000_000 >> halvings
}

// txSource finds previous transactions: in the block being read, in a cache, then by RPC.
type txSource struct {
	chain Chain
	cache *lru.Cache[chainhash.Hash, *wire.MsgTx]
}

func (s *txSource) prevOut(ctx context.Context, inBlock map[chainhash.Hash]*wire.MsgTx, op wire.OutPoint) (*wire.TxOut, error) {
	tx, ok := inBlock[op.Hash]
	if !ok {
		tx, ok = s.cache.Get(op.Hash)
	}
	if !ok {
		var err error
		tx, err = s.chain.GetRawTransaction(ctx, op.Hash)
		if err != nil {
			return nil, fmt.Errorf("anchor: previous transaction %s: %w", op.Hash, err)
		}
		s.cache.Add(op.Hash, tx)
	}
	if int(op.Index) >= len(tx.TxOut) {
		return nil, fmt.Errorf("anchor: previous transaction %s has no output %d", op.Hash, op.Index)
	}
	return tx.TxOut[op.Index], nil
}

// readBlock extracts a block's ION transactions. Errors are those of fetching previous transactions
// (the block is retried); bad data is skipped with a debug log, never an error.
func readBlock(ctx context.Context, src *txSource, prefix string, height int64, msg *wire.MsgBlock, log *slog.Logger) (*Block, error) {
	hash := msg.BlockHash()
	b := &Block{
		Height: height, Hash: hash, PreviousHash: msg.Header.PrevBlock,
		TransactionCount: len(msg.Transactions), Raw: msg,
	}
	if len(msg.Transactions) > 0 {
		var out int64
		for _, o := range msg.Transactions[0].TxOut {
			out += o.Value
		}
		b.TotalFee = out - blockReward(height)
	}
	var inBlock map[chainhash.Hash]*wire.MsgTx
	scripts := make([][]byte, 0, 4)
	for i, tx := range msg.Transactions {
		scripts = scripts[:0]
		for _, o := range tx.TxOut {
			scripts = append(scripts, o.PkScript)
		}
		anchorString, _, ok := TransactionAnchorString(scripts, prefix)
		if !ok {
			continue
		}
		txid := tx.TxHash()
		if i == 0 {
			// ION would look up the coinbase's null previous output and fail; no writer can sign it.
			log.Debug("ignoring ION data in a coinbase transaction", "height", height, "txid", txid)
			continue
		}
		if len(tx.TxIn) == 0 || !inputHasSignatureAndKey(tx.TxIn[0].SignatureScript) {
			log.Debug("ignoring ION data: first input is not <signature> <public key>", "height", height, "txid", txid)
			continue
		}
		if inBlock == nil {
			inBlock = make(map[chainhash.Hash]*wire.MsgTx, i)
			for _, t := range msg.Transactions[:i] {
				inBlock[t.TxHash()] = t
			}
		}
		first, err := src.prevOut(ctx, inBlock, tx.TxIn[0].PreviousOutPoint)
		if err != nil {
			return nil, err
		}
		writer, ok := p2pkhWriter(first.PkScript)
		if !ok {
			log.Debug("ignoring ION data: first input does not spend a P2PKH output", "height", height, "txid", txid)
			continue
		}
		in := first.Value
		for _, txin := range tx.TxIn[1:] {
			prev, err := src.prevOut(ctx, inBlock, txin.PreviousOutPoint)
			if err != nil {
				return nil, err
			}
			in += prev.Value
		}
		var out int64
		for _, o := range tx.TxOut {
			out += o.Value
		}
		number, err := TransactionNumber(uint64(height), i)
		if err != nil {
			log.Debug("ignoring ION data: no transaction number", "height", height, "txid", txid, "err", err)
			continue
		}
		t := Transaction{
			Number: number, Height: uint64(height), BlockHash: hash.String(), Index: i, TxID: txid.String(),
			AnchorString: anchorString, FeePaid: uint64(max(in-out, 0)), Writer: writer,
		}
		if _, err := t.Anchor(); err != nil {
			log.Debug("ION transaction with a malformed anchor string (reported, as ION does)", "number", number,
				"anchor", hex.EncodeToString([]byte(anchorString)), "err", err)
		}
		b.Transactions = append(b.Transactions, t)
	}
	return b, nil
}
