package anchor

import (
	"bytes"
	"context"
	"fmt"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/anchor/ionrules"
)

// ValueTimeLock is a value time lock this writer made: Amount satoshis in output 0 of TxID, paying to
// the P2SH of RedeemScript, spendable by the key Duration blocks after it confirms.
type ValueTimeLock struct {
	TxID         string
	RedeemScript []byte
	Amount       int64
	Duration     int64
	// Identifier is ION's lock identifier (the writer lock id in core index files):
	// base64url(txid + "." + redeem script hex), ionrules.LockIdentifier.
	Identifier string
}

// Lock locks amount satoshis for duration blocks (BitcoinClient.createLockTransaction): output 0 pays
// the P2SH of ION's freeze script (ionrules.LockScript), change returns to the key. ION accepts the lock
// only with the network's duration (ionrules.BitcoinParameters.ValueTimeLockDurationInBlocks: 4,500
// blocks on mainnet, 150 on testnet and regtest).
func (w *Writer) Lock(ctx context.Context, amount, duration int64) (ValueTimeLock, error) {
	redeem, err := ionrules.LockScript(duration, w.Key.pkh)
	if err != nil {
		return ValueTimeLock{}, err
	}
	p2sh, err := address.NewAddressScriptHash(redeem, w.Key.net)
	if err != nil {
		return ValueTimeLock{}, err
	}
	script, err := txscript.PayToAddrScript(p2sh)
	if err != nil {
		return ValueTimeLock{}, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.loadOwned(ctx); err != nil {
		return ValueTimeLock{}, err
	}
	p, err := w.build(ctx, []*wire.TxOut{wire.NewTxOut(amount, script)}, amount, 0)
	if err != nil {
		return ValueTimeLock{}, err
	}
	lock := ValueTimeLock{TxID: p.TxID, RedeemScript: redeem, Amount: amount, Duration: duration,
		Identifier: ionrules.LockIdentifier{TransactionID: p.TxID, RedeemScriptHex: ionrules.LockScriptHex(redeem)}.String()}
	p.Kind, p.Anchor = KindLock, lock.Identifier
	if err := w.recordAndSend(ctx, p); err != nil {
		return ValueTimeLock{}, err
	}
	w.log().Info("value time lock broadcast", "txid", p.TxID, "amount", amount, "duration", duration)
	return lock, nil
}

// ReleaseLock spends a lock back to the key once Duration blocks have passed since it confirmed
// (BitcoinClient.createReleaseLockTransaction: version 2, input sequence = duration). Before that the
// node rejects it and ReleaseLock returns an error wrapping ErrTxFailed.
func (w *Writer) ReleaseLock(ctx context.Context, lock ValueTimeLock) (string, error) {
	h, err := chainhash.NewHashFromStr(lock.TxID)
	if err != nil {
		return "", err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.loadOwned(ctx); err != nil {
		return "", err
	}
	fee := w.fee(w.feeRate(ctx), 1, 1, 0)
	if lock.Amount-fee < dustLimit {
		return "", ErrInsufficientFunds
	}
	tx := wire.NewMsgTx(2)
	in := wire.NewTxIn(&wire.OutPoint{Hash: *h, Index: 0}, nil, nil)
	in.Sequence = uint32(lock.Duration)
	tx.AddTxIn(in)
	tx.AddTxOut(wire.NewTxOut(lock.Amount-fee, w.Key.scripts[0]))
	hash, err := txscript.CalcSignatureHash(lock.RedeemScript, txscript.SigHashAll, tx, 0)
	if err != nil {
		return "", fmt.Errorf("anchor: sign release: %w", err)
	}
	sig, err := w.Key.signHash(ctx, hash)
	if err != nil {
		return "", fmt.Errorf("anchor: sign release: %w", err)
	}
	sigScript, err := txscript.NewScriptBuilder().AddData(sig).AddData(w.Key.pub).AddData(lock.RedeemScript).Script()
	if err != nil {
		return "", err
	}
	tx.TxIn[0].SignatureScript = sigScript
	var raw bytes.Buffer
	if err := tx.Serialize(&raw); err != nil {
		return "", err
	}
	txid := tx.TxHash().String()
	p := &pendingBuild{PendingTx: PendingTx{TxID: txid, Raw: raw.Bytes(), Kind: KindRelease, Anchor: lock.Identifier,
		Status: StatusBroadcast, Fee: fee, BroadcastHeight: w.tip}}
	p.Created = nowUTC()
	p.change = &UTXO{Outpoint: Outpoint{TxID: txid, Vout: 0}, Value: lock.Amount - fee, PkScript: w.Key.scripts[0]}
	if err := w.recordAndSend(ctx, p); err != nil {
		return "", err
	}
	w.log().Info("value time lock released", "lock", lock.TxID, "txid", txid)
	return txid, nil
}
