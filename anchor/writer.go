package anchor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// Writer errors.
var (
	// ErrInsufficientFunds: the key's free outputs cannot pay for the transaction, or none is P2PKH.
	ErrInsufficientFunds = errors.New("anchor: insufficient funds")
	// ErrTxFailed: a transaction can never confirm (rejected, or an input was spent by another).
	ErrTxFailed = errors.New("anchor: transaction failed")
	// ErrUnknownTx: the transaction is not one this writer made.
	ErrUnknownTx = errors.New("anchor: unknown transaction")
)

const (
	dustLimit = 546
	// rbfSequence opts a transaction into replacement (BIP 125).
	rbfSequence = wire.MaxTxInSequenceNum - 2
	// pruneDepth: records this far below the tip are settled and deleted.
	pruneDepth = 100
	// coinbaseMaturity: a coinbase output may only be spent by a transaction in a block at least this
	// many blocks above its own (consensus rule on every network, regtest included); btcd and Bitcoin
	// Core reject such a spend from their mempool before that.
	coinbaseMaturity = 100
)

// Writer anchors strings on Bitcoin with its own key. Its methods are safe for concurrent use.
type Writer struct {
	Chain WalletChain
	Key   *Key
	Store WalletStore
	// Prefix of the OP_RETURN data; empty means Prefix ("ion:").
	Prefix string
	// FallbackFeeRate in satoshis per 1,000 bytes when the node has no estimate (btcd, regtest).
	// Zero means 2,000.
	FallbackFeeRate int64
	// FeeMarkupPercent is added to the fee (ION's sidetreeTransactionFeeMarkupPercentage, 1).
	FeeMarkupPercent float64
	// BumpAfterBlocks: an unconfirmed transaction older than this many blocks is replaced with a
	// higher fee by Maintain. Zero means 3.
	BumpAfterBlocks int64
	// MaxFee caps one transaction's fee in satoshis, fee bumps included; 0: no cap. MaxFeeRate caps its
	// rate in satoshis per 1,000 bytes (the node's estimate is lowered to it); 0: no cap.
	MaxFee, MaxFeeRate int64
	// MaxBumps is how often one transaction may be replaced with a higher fee; 0: DefaultMaxBumps,
	// negative: never.
	MaxBumps int
	// ApproveFee is asked before a transaction paying fee is broadcast, with the transaction a fee bump
	// replaces (or ""); an error stops it (the daily fee budget). Nil: every fee within the caps.
	ApproveFee func(ctx context.Context, fee int64, replaces string) error
	Logger     *slog.Logger

	mu        sync.Mutex
	tip       int64
	noWallet  bool
	ownedOuts map[Outpoint]bool // outpoints in the store, so ApplyBlock needs no lookup per input
	// coinbase tells, for the key's outputs that may still be immature, whether their transaction is a
	// coinbase (txid → true). The store does not keep it: after a restart it is asked of the chain.
	coinbase map[string]bool
}

func (w *Writer) log() *slog.Logger {
	if w.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Logger
}

func (w *Writer) prefix() string {
	if w.Prefix == "" {
		return Prefix
	}
	return w.Prefix
}

func (w *Writer) loadOwned(ctx context.Context) error {
	if w.ownedOuts != nil {
		return nil
	}
	utxos, err := w.Store.UTXOs(ctx)
	if err != nil {
		return err
	}
	w.ownedOuts = make(map[Outpoint]bool, len(utxos))
	for _, u := range utxos {
		w.ownedOuts[u.Outpoint] = true
	}
	return nil
}

// Address is where to fund the writer.
func (w *Writer) Address() string { return w.Key.Address() }

// feeRate is the node's estimate for the next block, or the fallback (satoshis per 1,000 bytes).
func (w *Writer) feeRate(ctx context.Context) int64 {
	rate, err := w.Chain.EstimateFeeRate(ctx, 1)
	if err != nil || rate <= 0 {
		if w.FallbackFeeRate > 0 {
			return w.capRate(w.FallbackFeeRate)
		}
		return w.capRate(2000)
	}
	return w.capRate(rate)
}

// fee is ION's fee for a transaction (BitcoinClient.createTransaction and calculateTransactionFee):
// 150 bytes per input and 50 per output at the fee rate, plus 40%, at least minFee, plus the markup.
func (w *Writer) fee(rate int64, inputs, outputs int, minFee uint64) int64 {
	estimated := math.Ceil(float64(inputs*150+outputs*50) / 1000 * float64(rate) * 1.4)
	f := math.Max(float64(minFee), estimated)
	f += f * w.FeeMarkupPercent / 100
	return int64(math.Ceil(f))
}

// Balance is the value of the key's free outputs, immature coinbases included.
func (w *Writer) Balance(ctx context.Context) (int64, error) {
	utxos, err := w.Store.UTXOs(ctx)
	if err != nil {
		return 0, err
	}
	var sum int64
	for _, u := range utxos {
		if u.ReservedBy == "" && u.SpentBy == "" {
			sum += u.Value
		}
	}
	return sum, nil
}

// importWalletOutputs adds what a Bitcoin Core wallet knows of the key's addresses.
func (w *Writer) importWalletOutputs(ctx context.Context) error {
	if w.noWallet {
		return nil
	}
	for _, addr := range []string{w.Key.Address(), w.Key.SegwitAddress()} {
		outs, err := w.Chain.ListUnspent(ctx, addr)
		if errors.Is(err, ErrNoWallet) {
			w.noWallet = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("anchor: listunspent: %w", err)
		}
		for _, o := range outs {
			if mine, _ := w.Key.owns(o.PkScript); !mine || w.ownedOuts[o.Outpoint] {
				continue
			}
			u := UTXO{Outpoint: o.Outpoint, Value: o.Value, PkScript: o.PkScript}
			if o.Confirmations > 0 {
				u.Height = w.tip - o.Confirmations + 1
			}
			if err := w.Store.PutUTXOs(ctx, u); err != nil {
				return err
			}
			w.ownedOuts[o.Outpoint] = true
		}
	}
	return nil
}

// Anchor signs, records and broadcasts a transaction carrying anchorString and paying at least minFee,
// and returns its id and fee. The inputs are reserved in the store before the broadcast.
func (w *Writer) Anchor(ctx context.Context, anchorString string, minFee uint64) (txid string, fee uint64, err error) {
	script, err := AnchorScript(w.prefix(), anchorString)
	if err != nil {
		return "", 0, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.loadOwned(ctx); err != nil {
		return "", 0, err
	}
	if err := w.importWalletOutputs(ctx); err != nil {
		w.log().Warn("wallet outputs unavailable", "err", err)
	}
	p, err := w.build(ctx, []*wire.TxOut{wire.NewTxOut(0, script)}, 0, minFee)
	if err != nil {
		return "", 0, err
	}
	p.Kind, p.Anchor = KindAnchor, anchorString
	if err := w.approveFee(ctx, p.Fee, len(p.Raw), ""); err != nil { // nothing is recorded yet
		return "", 0, err
	}
	if err := w.recordAndSend(ctx, p); err != nil {
		return "", 0, err
	}
	w.log().Info("anchor broadcast", "txid", p.TxID, "anchor", anchorString, "fee", p.Fee)
	return p.TxID, uint64(p.Fee), nil
}

// pendingBuild is a signed transaction with the store records it changes.
type pendingBuild struct {
	PendingTx
	inputs []UTXO
	change *UTXO
}

// build selects free outputs (a P2PKH one first, as ION requires of a writer), pays outs plus the
// fee, returns change to the key's P2PKH address and signs.
func (w *Writer) build(ctx context.Context, outs []*wire.TxOut, pay int64, minFee uint64) (*pendingBuild, error) {
	utxos, err := w.Store.UTXOs(ctx)
	if err != nil {
		return nil, err
	}
	var free []UTXO
	for _, u := range utxos {
		if mine, _ := w.Key.owns(u.PkScript); mine && u.ReservedBy == "" && u.SpentBy == "" {
			free = append(free, u)
		}
	}
	// P2PKH first, confirmed before unconfirmed, larger first.
	slices.SortStableFunc(free, func(a, b UTXO) int {
		_, pa := w.Key.owns(a.PkScript)
		_, pb := w.Key.owns(b.PkScript)
		switch {
		case pa != pb:
			if pa {
				return -1
			}
			return 1
		case (a.Height > 0) != (b.Height > 0):
			if a.Height > 0 {
				return -1
			}
			return 1
		case a.Value != b.Value:
			if a.Value > b.Value {
				return -1
			}
			return 1
		}
		return 0
	})
	if len(free) == 0 {
		return nil, ErrInsufficientFunds
	}
	if _, p2pkh := w.Key.owns(free[0].PkScript); !p2pkh {
		return nil, fmt.Errorf("%w: no P2PKH output to sign first (fund %s)", ErrInsufficientFunds, w.Key.Address())
	}
	rate := w.feeRate(ctx)
	var sum int64
	var inputs []UTXO
	immature := 0
	for _, u := range free {
		if !w.spendable(ctx, u) {
			immature++
			continue
		}
		if _, p2pkh := w.Key.owns(u.PkScript); len(inputs) == 0 && !p2pkh {
			return nil, fmt.Errorf("%w: no spendable P2PKH output to sign first (fund %s)", ErrInsufficientFunds, w.Key.Address())
		}
		inputs = append(inputs, u)
		sum += u.Value
		fee := w.fee(rate, len(inputs), len(outs)+1, minFee)
		if sum >= pay+fee {
			return w.sign(ctx, inputs, outs, sum-pay-fee)
		}
	}
	if immature > 0 {
		return nil, fmt.Errorf("%w: %d outputs are coinbases not yet %d blocks deep (or of unknown status)", ErrInsufficientFunds, immature, coinbaseMaturity)
	}
	return nil, ErrInsufficientFunds
}

// spendable reports whether an output can be spent in the next block: any output of a transaction
// that is not a coinbase, and a coinbase's once it is coinbaseMaturity blocks deep. An output whose
// status the chain cannot tell now (the node down, its transaction gone in a reorg) is not spendable.
func (w *Writer) spendable(ctx context.Context, u UTXO) bool {
	if u.Height > 0 && w.tip+1-u.Height >= coinbaseMaturity {
		return true // mature whatever it is
	}
	if cb, ok := w.coinbase[u.TxID]; ok {
		return !cb
	}
	h, err := chainhash.NewHashFromStr(u.TxID)
	if err != nil {
		return false
	}
	st, err := w.Chain.TransactionStatus(ctx, *h)
	if err != nil || !st.Found {
		w.log().Debug("output of unknown status not spent", "txid", u.TxID, "vout", u.Vout, "err", err)
		return false
	}
	w.noteCoinbase(u.TxID, st.Coinbase)
	// The chain's confirmations, not the height: before the first block after a restart the tip is unknown.
	return !st.Coinbase || st.Confirmations >= coinbaseMaturity
}

func (w *Writer) noteCoinbase(txid string, coinbase bool) {
	if w.coinbase == nil {
		w.coinbase = map[string]bool{}
	}
	w.coinbase[txid] = coinbase
}

// sign builds and signs a transaction spending inputs to outs plus change (dropped below dust).
func (w *Writer) sign(ctx context.Context, inputs []UTXO, outs []*wire.TxOut, change int64) (*pendingBuild, error) {
	tx := wire.NewMsgTx(2)
	prevOuts := make(map[wire.OutPoint]*wire.TxOut, len(inputs))
	for _, u := range inputs {
		h, err := chainhash.NewHashFromStr(u.TxID)
		if err != nil {
			return nil, fmt.Errorf("anchor: stored outpoint %s: %w", u.TxID, err)
		}
		op := wire.OutPoint{Hash: *h, Index: u.Vout}
		in := wire.NewTxIn(&op, nil, nil)
		in.Sequence = rbfSequence
		tx.AddTxIn(in)
		prevOuts[op] = wire.NewTxOut(u.Value, u.PkScript)
	}
	for _, o := range outs {
		tx.AddTxOut(o)
	}
	var fee int64
	var changeOut *wire.TxOut
	if change >= dustLimit {
		changeOut = wire.NewTxOut(change, w.Key.scripts[0])
		tx.AddTxOut(changeOut)
	}
	fetcher := txscript.NewMultiPrevOutFetcher(prevOuts)
	hashes := txscript.NewTxSigHashes(tx, fetcher)
	var in int64
	for i, u := range inputs {
		in += u.Value
		if _, p2pkh := w.Key.owns(u.PkScript); p2pkh {
			sig, err := w.Key.signatureScript(ctx, tx, i, u.PkScript)
			if err != nil {
				return nil, fmt.Errorf("anchor: sign: %w", err)
			}
			tx.TxIn[i].SignatureScript = sig
		} else {
			wit, err := w.Key.witness(ctx, tx, hashes, i, u.Value, u.PkScript)
			if err != nil {
				return nil, fmt.Errorf("anchor: sign: %w", err)
			}
			tx.TxIn[i].Witness = wit
		}
	}
	var out int64
	for _, o := range tx.TxOut {
		out += o.Value
	}
	fee = in - out
	var buf bytes.Buffer
	if err := tx.Serialize(&buf); err != nil {
		return nil, err
	}
	txid := tx.TxHash().String()
	p := &pendingBuild{PendingTx: PendingTx{
		TxID: txid, Raw: buf.Bytes(), Created: nowUTC(), Status: StatusBroadcast, Fee: fee,
		BroadcastHeight: w.tip,
	}}
	for _, u := range inputs {
		u.ReservedBy = txid
		p.inputs = append(p.inputs, u)
	}
	if changeOut != nil {
		p.change = &UTXO{Outpoint: Outpoint{TxID: txid, Vout: uint32(len(tx.TxOut) - 1)}, Value: change, PkScript: changeOut.PkScript}
	}
	return p, nil
}

// recordAndSend stores the transaction with its inputs reserved and its change, then broadcasts it.
// A transaction the node rejects is marked failed and its inputs freed (we sent it nowhere else).
func (w *Writer) recordAndSend(ctx context.Context, p *pendingBuild) error {
	records := append([]UTXO(nil), p.inputs...)
	if p.change != nil {
		records = append(records, *p.change)
	}
	if err := w.Store.PutPendingTx(ctx, p.PendingTx, records...); err != nil {
		return fmt.Errorf("anchor: record transaction: %w", err)
	}
	for _, u := range records {
		w.ownedOuts[u.Outpoint] = true
	}
	w.noteCoinbase(p.TxID, false) // its change may be spent while unconfirmed
	tx, err := decodeTx(p.Raw)
	if err != nil {
		return err
	}
	if _, err := w.Chain.SendRawTransaction(ctx, tx); err != nil {
		st, stErr := w.Chain.TransactionStatus(ctx, tx.TxHash())
		if stErr == nil && st.Found {
			return nil
		}
		if stErr != nil || ctx.Err() != nil {
			// Unknown outcome: keep the reservation; Maintain rebroadcasts or settles it.
			return fmt.Errorf("anchor: broadcast %s: %w", p.TxID, err)
		}
		if ferr := w.fail(ctx, p.TxID); ferr != nil {
			return errors.Join(err, ferr)
		}
		return fmt.Errorf("%w: broadcast %s: %v", ErrTxFailed, p.TxID, err)
	}
	return nil
}

func nowUTC() time.Time { return time.Now().UTC() }

func decodeTx(raw []byte) (*wire.MsgTx, error) {
	var tx wire.MsgTx
	if err := tx.Deserialize(bytes.NewReader(raw)); err != nil {
		return nil, fmt.Errorf("anchor: stored transaction: %w", err)
	}
	return &tx, nil
}

// fail marks a transaction failed: its inputs are freed unless spent, its change (and every
// transaction spending that change) is gone.
func (w *Writer) fail(ctx context.Context, txid string) error {
	p, ok, err := w.Store.GetPendingTx(ctx, txid)
	if err != nil || !ok {
		return err
	}
	utxos, err := w.Store.UTXOs(ctx)
	if err != nil {
		return err
	}
	var freed []UTXO
	var gone []Outpoint
	var children []string
	for _, u := range utxos {
		switch {
		case u.ReservedBy == txid:
			u.ReservedBy = ""
			freed = append(freed, u)
		case u.TxID == txid:
			gone = append(gone, u.Outpoint)
			if u.ReservedBy != "" {
				children = append(children, u.ReservedBy)
			}
		}
	}
	p.Status = StatusFailed
	if err := w.Store.PutPendingTx(ctx, p, freed...); err != nil {
		return err
	}
	if len(gone) > 0 {
		if err := w.Store.DeleteUTXOs(ctx, gone...); err != nil {
			return err
		}
		for _, op := range gone {
			delete(w.ownedOuts, op)
		}
	}
	w.log().Warn("transaction failed", "txid", txid, "kind", p.Kind, "anchor", p.Anchor)
	for _, c := range children {
		if err := w.fail(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// live follows replacements to the transaction that now stands for txid.
func (w *Writer) live(ctx context.Context, txid string) (PendingTx, error) {
	for range 100 {
		p, ok, err := w.Store.GetPendingTx(ctx, txid)
		if err != nil {
			return PendingTx{}, err
		}
		if !ok {
			return PendingTx{}, fmt.Errorf("%w: %s", ErrUnknownTx, txid)
		}
		if p.Status != StatusReplaced || p.ReplacedBy == "" {
			return p, nil
		}
		txid = p.ReplacedBy
	}
	return PendingTx{}, fmt.Errorf("anchor: replacement chain of %s too long", txid)
}

// Lookup finds the live transaction this writer made for anchorString (following fee bumps), leaving
// out failed and uncounted ones.
func (w *Writer) Lookup(ctx context.Context, anchorString string) (string, bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	pending, err := w.Store.PendingTxs(ctx)
	if err != nil {
		return "", false, err
	}
	for i := len(pending) - 1; i >= 0; i-- {
		p := pending[i]
		if p.Kind != KindAnchor || p.Anchor != anchorString || p.Status == StatusFailed || p.Status == StatusUncounted {
			continue
		}
		l, err := w.live(ctx, p.TxID)
		if err != nil {
			return "", false, err
		}
		if l.Status == StatusFailed || l.Status == StatusUncounted {
			continue
		}
		return l.TxID, true, nil
	}
	return "", false, nil
}

// Confirmations returns the confirmations of the transaction standing for txid (following fee
// bumps): 0 while unconfirmed, ErrTxFailed when it can never confirm or was mined where ION ignores
// it (StatusUncounted): either way its anchor string must be written again.
func (w *Writer) Confirmations(ctx context.Context, txid string) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, err := w.live(ctx, txid)
	if err != nil {
		return 0, err
	}
	if p.Status == StatusFailed {
		return 0, fmt.Errorf("%w: %s", ErrTxFailed, p.TxID)
	}
	if p.Status == StatusUncounted {
		return 0, fmt.Errorf("%w: %s is not this writer's first anchor in block %d, so ION ignores it", ErrTxFailed, p.TxID, p.ConfirmedHeight)
	}
	h, err := chainhash.NewHashFromStr(p.TxID)
	if err != nil {
		return 0, err
	}
	st, err := w.Chain.TransactionStatus(ctx, *h)
	if err != nil {
		return 0, err
	}
	return int(st.Confirmations), nil
}

// ApplyBlock learns from a block the watcher read: outputs paying the key, spends of its outputs, and
// confirmations of its transactions. Blocks must come in chain order, after any Revert.
func (w *Writer) ApplyBlock(ctx context.Context, b *Block) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.loadOwned(ctx); err != nil {
		return err
	}
	w.tip = b.Height
	anchored := false // an anchor of this writer came earlier in the block
	for i, tx := range b.Raw.Transactions {
		var txid string
		id := func() string {
			if txid == "" {
				txid = tx.TxHash().String()
			}
			return txid
		}
		if i > 0 {
			for _, in := range tx.TxIn {
				op := Outpoint{TxID: in.PreviousOutPoint.Hash.String(), Vout: in.PreviousOutPoint.Index}
				if !w.ownedOuts[op] {
					continue
				}
				if err := w.spent(ctx, op, id()); err != nil {
					return err
				}
			}
		}
		for vout, out := range tx.TxOut {
			if mine, _ := w.Key.owns(out.PkScript); !mine {
				continue
			}
			op := Outpoint{TxID: id(), Vout: uint32(vout)}
			u, ok, err := w.Store.GetUTXO(ctx, op)
			if err != nil {
				return err
			}
			if !ok {
				u = UTXO{Outpoint: op, Value: out.Value, PkScript: out.PkScript}
			}
			u.Height = b.Height
			if err := w.Store.PutUTXOs(ctx, u); err != nil {
				return err
			}
			w.ownedOuts[op] = true
			w.noteCoinbase(op.TxID, i == 0)
		}
		if txid == "" {
			continue
		}
		p, ok, err := w.Store.GetPendingTx(ctx, txid)
		if err != nil {
			return err
		}
		if ok && p.Status != StatusConfirmed && p.Status != StatusUncounted {
			p.Status, p.ConfirmedHeight = StatusConfirmed, b.Height
			if p.Kind == KindAnchor && anchored {
				p.Status = StatusUncounted
				w.log().Warn("anchor mined after another of this writer in the same block: ION ignores it", "txid", txid, "anchor", p.Anchor, "height", b.Height)
			}
			if err := w.Store.PutPendingTx(ctx, p); err != nil {
				return err
			}
		}
		anchored = anchored || (ok && p.Kind == KindAnchor)
	}
	return w.prune(ctx)
}

// spent records that a block spent one of the key's outputs; a pending transaction that reserved it
// and is not the spender can never confirm.
func (w *Writer) spent(ctx context.Context, op Outpoint, by string) error {
	u, ok, err := w.Store.GetUTXO(ctx, op)
	if err != nil || !ok {
		return err
	}
	if u.ReservedBy != "" && u.ReservedBy != by {
		if err := w.conflicted(ctx, u.ReservedBy, by); err != nil {
			return err
		}
		if u, _, err = w.Store.GetUTXO(ctx, op); err != nil {
			return err
		}
	}
	u.ReservedBy, u.SpentBy = "", by
	return w.Store.PutUTXOs(ctx, u)
}

// conflicted settles a pending transaction whose input was spent by another: when the spender is its
// replacement nothing is lost, otherwise it failed.
func (w *Writer) conflicted(ctx context.Context, txid, spender string) error {
	p, ok, err := w.Store.GetPendingTx(ctx, txid)
	if err != nil || !ok {
		return err
	}
	if p.Status == StatusReplaced {
		return nil
	}
	return w.fail(ctx, txid)
}

// prune deletes records settled long ago: spent outputs and confirmed transactions pruneDepth blocks
// deep.
func (w *Writer) prune(ctx context.Context) error {
	if w.tip%10 != 0 {
		return nil
	}
	pending, err := w.Store.PendingTxs(ctx)
	if err != nil {
		return err
	}
	settled := map[string]bool{}
	for _, p := range pending {
		// Confirmed records stay at least a day: the node's fee budget reads a UTC day's fees from them.
		if ((p.Status == StatusConfirmed || p.Status == StatusUncounted) && p.ConfirmedHeight > 0 && w.tip-p.ConfirmedHeight >= pruneDepth && time.Since(p.Created) > 25*time.Hour) ||
			((p.Status == StatusFailed || p.Status == StatusReplaced) && time.Since(p.Created) > 7*24*time.Hour) {
			settled[p.TxID] = true
		}
	}
	utxos, err := w.Store.UTXOs(ctx)
	if err != nil {
		return err
	}
	var gone []Outpoint
	young := map[string]bool{} // transactions with outputs that may be immature coinbases
	for _, u := range utxos {
		if u.SpentBy != "" && (settled[u.SpentBy] || !w.isPending(pending, u.SpentBy)) && u.Height > 0 && w.tip-u.Height >= pruneDepth {
			gone = append(gone, u.Outpoint)
		}
		if u.Height == 0 || w.tip+1-u.Height < coinbaseMaturity {
			young[u.TxID] = true
		}
	}
	for txid := range w.coinbase {
		if !young[txid] {
			delete(w.coinbase, txid)
		}
	}
	if len(gone) > 0 {
		if err := w.Store.DeleteUTXOs(ctx, gone...); err != nil {
			return err
		}
		for _, op := range gone {
			delete(w.ownedOuts, op)
		}
	}
	for txid := range settled {
		if err := w.Store.DeletePendingTx(ctx, txid); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) isPending(pending []PendingTx, txid string) bool {
	for _, p := range pending {
		if p.TxID == txid {
			return true
		}
	}
	return false
}

// Revert undoes what blocks above forkHeight taught the writer (a Reorg event): their outputs become
// unconfirmed and their spends of the key's outputs pending again.
func (w *Writer) Revert(ctx context.Context, forkHeight int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tip = forkHeight
	pending, err := w.Store.PendingTxs(ctx)
	if err != nil {
		return err
	}
	reopened := map[string]bool{}
	for _, p := range pending {
		if (p.Status == StatusConfirmed || p.Status == StatusUncounted) && p.ConfirmedHeight > forkHeight {
			// Back in the mempool: its wait for a block starts at the next Maintain, once the tip of
			// the new branch is known (counting from the fork would bump it at once).
			p.Status, p.ConfirmedHeight, p.BroadcastHeight = StatusBroadcast, 0, 0
			if err := w.Store.PutPendingTx(ctx, p); err != nil {
				return err
			}
			reopened[p.TxID] = true
		}
	}
	utxos, err := w.Store.UTXOs(ctx)
	if err != nil {
		return err
	}
	var changed []UTXO
	for _, u := range utxos {
		c := false
		if u.Height > forkHeight {
			u.Height, c = 0, true
		}
		if u.SpentBy != "" && reopened[u.SpentBy] {
			u.ReservedBy, u.SpentBy, c = u.SpentBy, "", true
		}
		if c {
			changed = append(changed, u)
		}
	}
	if len(changed) > 0 {
		return w.Store.PutUTXOs(ctx, changed...)
	}
	return nil
}

// Maintain rebroadcasts pending transactions the node lost and replaces (RBF) those unconfirmed for
// BumpAfterBlocks blocks with a fee half again as high. Call it after each poll of the watcher.
func (w *Writer) Maintain(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.loadOwned(ctx); err != nil {
		return err
	}
	pending, err := w.Store.PendingTxs(ctx)
	if err != nil {
		return err
	}
	utxos, err := w.Store.UTXOs(ctx)
	if err != nil {
		return err
	}
	hasChild := map[string]bool{}
	for _, u := range utxos {
		if u.ReservedBy != "" {
			hasChild[u.TxID] = true
		}
	}
	bumpAfter := w.BumpAfterBlocks
	if bumpAfter <= 0 {
		bumpAfter = 3
	}
	for _, p := range pending {
		if p.Status != StatusBroadcast {
			continue
		}
		if p.BroadcastHeight == 0 && w.tip > 0 { // reverted, or made before the first block was seen
			p.BroadcastHeight = w.tip
			if err := w.Store.PutPendingTx(ctx, p); err != nil {
				return err
			}
		}
		tx, err := decodeTx(p.Raw)
		if err != nil {
			return err
		}
		st, err := w.Chain.TransactionStatus(ctx, tx.TxHash())
		if err != nil {
			return err
		}
		switch {
		case !st.Found:
			if _, err := w.Chain.SendRawTransaction(ctx, tx); err != nil {
				w.log().Warn("rebroadcast rejected", "txid", p.TxID, "err", err)
				continue // an input spent elsewhere shows in a block: ApplyBlock fails the transaction
			}
			w.log().Info("rebroadcast", "txid", p.TxID)
		case st.Confirmations == 0 && w.tip-p.BroadcastHeight >= bumpAfter && !hasChild[p.TxID]:
			if n := bumpsOf(pending, p.TxID); n >= w.maxBumps() {
				w.log().Warn("fee bump skipped: the transaction was bumped the maximum number of times", "txid", p.TxID, "bumps", n)
				continue
			}
			if err := w.bump(ctx, p, tx); err != nil {
				w.log().Warn("fee bump failed", "txid", p.TxID, "err", err)
			}
		}
	}
	return nil
}

// bump replaces a stuck leaf transaction by the same one paying a higher fee from its change.
func (w *Writer) bump(ctx context.Context, old PendingTx, tx *wire.MsgTx) error {
	utxos, err := w.Store.UTXOs(ctx)
	if err != nil {
		return err
	}
	var inputs []UTXO
	for _, in := range tx.TxIn {
		op := Outpoint{TxID: in.PreviousOutPoint.Hash.String(), Vout: in.PreviousOutPoint.Index}
		i := slices.IndexFunc(utxos, func(u UTXO) bool { return u.Outpoint == op })
		if i < 0 {
			return fmt.Errorf("anchor: input %v of %s unknown", op, old.TxID)
		}
		inputs = append(inputs, utxos[i])
	}
	var in int64
	for _, u := range inputs {
		in += u.Value
	}
	outs := tx.TxOut
	if len(outs) > 0 {
		if mine, _ := w.Key.owns(outs[len(outs)-1].PkScript); mine {
			outs = outs[:len(outs)-1] // the change, recomputed below
		}
	}
	var pay int64
	for _, o := range outs {
		pay += o.Value
	}
	newFee := bumpFee(old.Fee, tx.SerializeSize())
	if err := w.approveFee(ctx, newFee, tx.SerializeSize(), old.TxID); err != nil {
		return err
	}
	change := in - pay - newFee
	if change < 0 {
		return ErrInsufficientFunds
	}
	for i := range inputs {
		inputs[i].ReservedBy = ""
	}
	p, err := w.sign(ctx, inputs, outs, change)
	if err != nil {
		return err
	}
	p.Kind, p.Anchor = old.Kind, old.Anchor
	old.Status, old.ReplacedBy = StatusReplaced, p.TxID
	// The old change is gone with the old transaction.
	var gone []Outpoint
	for _, u := range utxos {
		if u.TxID == old.TxID {
			gone = append(gone, u.Outpoint)
		}
	}
	if err := w.Store.PutPendingTx(ctx, old); err != nil {
		return err
	}
	if len(gone) > 0 {
		if err := w.Store.DeleteUTXOs(ctx, gone...); err != nil {
			return err
		}
		for _, op := range gone {
			delete(w.ownedOuts, op)
		}
	}
	if err := w.recordAndSend(ctx, p); err != nil {
		if !errors.Is(err, ErrTxFailed) {
			return err // outcome unknown: the replacement stays recorded and is settled later
		}
		// The node refused the replacement: the old transaction stands, with its inputs and change.
		old.Status, old.ReplacedBy = StatusBroadcast, ""
		restored := make([]UTXO, 0, len(inputs)+len(gone))
		for _, u := range inputs {
			u.ReservedBy = old.TxID
			restored = append(restored, u)
		}
		for _, u := range utxos {
			if u.TxID == old.TxID {
				restored = append(restored, u)
				w.ownedOuts[u.Outpoint] = true
			}
		}
		if rerr := w.Store.PutPendingTx(ctx, old, restored...); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	w.log().Info("fee bumped", "old", old.TxID, "new", p.TxID, "fee", p.Fee)
	return nil
}
