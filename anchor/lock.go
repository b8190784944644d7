package anchor

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// ValueTimeLock is a value time lock this writer made: Amount satoshis in output 0 of TxID, paying to
// the P2SH of RedeemScript, spendable by the key Duration blocks after it confirms.
type ValueTimeLock struct {
	TxID         string
	RedeemScript []byte
	Amount       int64
	Duration     int64
	// Identifier is ION's lock identifier (the writer lock id in core index files):
	// base64url(txid + "." + redeem script hex), LockIdentifierSerializer.serialize.
	Identifier string
}

// ErrBadLockIdentifier is returned for an identifier that is not base64url("<txid>.<script hex>").
var ErrBadLockIdentifier = errors.New("anchor: invalid lock identifier")

// LockScript is the reference's freeze script (BitcoinClient.createFreezeScript): the duration as a
// data push (even below 17, where a script-number opcode would be minimal: ION's LockResolver reads the
// first asm token as hex), OP_CHECKSEQUENCEVERIFY, OP_DROP, then P2PKH of the key hash.
func LockScript(duration int64, pubKeyHash []byte) ([]byte, error) {
	if duration <= 0 || duration > 0xffff {
		return nil, fmt.Errorf("anchor: lock duration %d out of range", duration)
	}
	return txscript.NewScriptBuilder().
		AddFullData(scriptNum(duration)).
		AddOp(txscript.OP_CHECKSEQUENCEVERIFY).
		AddOp(txscript.OP_DROP).
		AddOp(txscript.OP_DUP).
		AddOp(txscript.OP_HASH160).
		AddData(pubKeyHash).
		AddOp(txscript.OP_EQUALVERIFY).
		AddOp(txscript.OP_CHECKSIG).
		Script()
}

// scriptNum is the minimal little-endian script-number encoding of a positive number.
func scriptNum(n int64) []byte {
	var b []byte
	for n > 0 {
		b = append(b, byte(n&0xff))
		n >>= 8
	}
	if b[len(b)-1]&0x80 != 0 {
		b = append(b, 0)
	}
	return b
}

// LockIdentifier serializes a lock identifier as ION does.
func LockIdentifier(txid string, redeemScript []byte) string {
	return base64.RawURLEncoding.EncodeToString([]byte(txid + "." + hex.EncodeToString(redeemScript)))
}

// ParseLockIdentifier splits an identifier into transaction id and redeem script
// (LockIdentifierSerializer.deserialize).
func ParseLockIdentifier(id string) (txid string, redeemScript []byte, err error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(id, "="))
	if err != nil {
		return "", nil, fmt.Errorf("%w: %v", ErrBadLockIdentifier, err)
	}
	parts := strings.Split(string(b), ".")
	if len(parts) != 2 {
		return "", nil, ErrBadLockIdentifier
	}
	script, err := hex.DecodeString(parts[1])
	if err != nil {
		return "", nil, fmt.Errorf("%w: %v", ErrBadLockIdentifier, err)
	}
	return parts[0], script, nil
}

// Lock locks amount satoshis for duration blocks (BitcoinClient.createLockTransaction): output 0 pays
// the P2SH of LockScript, change returns to the key.
func (w *Writer) Lock(ctx context.Context, amount, duration int64) (ValueTimeLock, error) {
	redeem, err := LockScript(duration, w.Key.pkh)
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
		Identifier: LockIdentifier(p.TxID, redeem)}
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
	sig, err := txscript.RawTxInSignature(tx, 0, lock.RedeemScript, txscript.SigHashAll, w.Key.priv)
	if err != nil {
		return "", fmt.Errorf("anchor: sign release: %w", err)
	}
	sigScript, err := txscript.NewScriptBuilder().AddData(sig).AddData(w.Key.priv.PubKey().SerializeCompressed()).
		AddData(lock.RedeemScript).Script()
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
