package ionrules

import (
	"context"
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"github.com/ionode/ionode/sidetree"
)

// ErrTransactionNotFound is what a [LockTransactionSource] returns (wrapped or not) when the node knows no
// transaction with the id. Any other error is taken as the chain being unavailable.
var ErrTransactionNotFound = errors.New("ionrules: transaction not found")

// LockTransaction is a lock transaction with where it confirmed.
type LockTransaction struct {
	Tx *wire.MsgTx
	// Confirmed is true when the transaction is in a block of the active chain (getrawtransaction's
	// confirmations > 0); BlockHeight is that block's height.
	Confirmed   bool
	BlockHeight int64
}

// LockTransactionSource fetches a transaction by id from the chain (Bitcoin Core's getrawtransaction with
// -txindex, verbose, plus getblockheader of its block for the height). The chain side implements it.
type LockTransactionSource interface {
	LockTransaction(ctx context.Context, txid chainhash.Hash) (LockTransaction, error)
}

// NormalizedFeeSource returns the floored normalized fee ([TransactionNormalizedFee]) of a block from the
// node's stored fee records; found is false when there is no record for the height (before genesis, or
// not processed yet).
type NormalizedFeeSource interface {
	NormalizedFee(ctx context.Context, height int64) (fee int64, found bool, err error)
}

// ResolveLock finds and verifies the value time lock an identifier names, as ION's bitcoin service does
// for GET /locks/{identifier} (LockResolver.resolveSerializedLockIdentifierAndThrowOnError), in its order:
//  1. the identifier decodes ([ParseLockIdentifier]);
//  2. the redeem script is ION's freeze script ([ParseLockScript]);
//  3. the transaction exists (CodeLockResolverTransactionNotFound) and its output 0 pays to the P2SH of
//     the redeem script ([PaysToLockScript]; CodeLockResolverTransactionIsNotPayingToScript);
//  4. it is confirmed (CodeLockResolverTransactionNotConfirmed); the lock starts at its block's height;
//  5. the script's duration is the network's valueTimeLockDurationInBlocks at that height
//     (CodeLockResolverDurationIsInvalid; CodeVersionManagerVersionStringNotFound before the first version);
//  6. the lock's normalized fee is that block's (CodeNormalizedFeeCalculatorBlockNotFound).
//
// A *sidetree.Error means the identifier names no valid lock: ION answers 404 and the core goes on as if
// the transaction had no lock ([VerifyLockAmount] with nil). Any other error comes from src or fees (the
// chain or the store is unavailable) and the caller should retry later; ION would answer 404 then too,
// which makes its result depend on its bitcoind being up, and we do not copy that.
func ResolveLock(ctx context.Context, identifier string, src LockTransactionSource, fees NormalizedFeeSource, net BitcoinNetwork) (*ValueTimeLock, error) {
	id, err := ParseLockIdentifier(identifier)
	if err != nil {
		return nil, err
	}
	redeem := id.RedeemScript()
	info, err := ParseLockScript(redeem)
	if err != nil {
		return nil, err
	}
	hash, ok := id.TransactionHash()
	if !ok {
		return nil, sidetree.Errorf(CodeLockResolverTransactionNotFound, "transaction id: %s", id.TransactionID)
	}
	ltx, err := src.LockTransaction(ctx, hash)
	if errors.Is(err, ErrTransactionNotFound) {
		return nil, &sidetree.Error{Code: CodeLockResolverTransactionNotFound, Message: "transaction id: " + id.TransactionID, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("ionrules: fetch lock transaction %s: %w", id.TransactionID, err)
	}
	if ltx.Tx == nil || len(ltx.Tx.TxOut) == 0 || !PaysToLockScript(ltx.Tx.TxOut[0].PkScript, redeem) {
		return nil, sidetree.Errorf(CodeLockResolverTransactionIsNotPayingToScript, "transaction id: %s", id.TransactionID)
	}
	if !ltx.Confirmed {
		return nil, sidetree.Errorf(CodeLockResolverTransactionNotConfirmed, "transaction id: %s", id.TransactionID)
	}
	start := ltx.BlockHeight
	unlock := start + info.Duration
	p, err := net.ParametersAt(start)
	if err != nil {
		return nil, err
	}
	if p.ValueTimeLockDurationInBlocks != info.Duration {
		return nil, sidetree.Errorf(CodeLockResolverDurationIsInvalid,
			"lock start block: %d. unlock block: %d. invalid duration: %d. allowed duration: %d",
			start, unlock, info.Duration, p.ValueTimeLockDurationInBlocks)
	}
	fee, found, err := fees.NormalizedFee(ctx, start)
	if err != nil {
		return nil, fmt.Errorf("ionrules: normalized fee of block %d: %w", start, err)
	}
	if !found {
		return nil, sidetree.Errorf(CodeNormalizedFeeCalculatorBlockNotFound, "block %d", start)
	}
	return &ValueTimeLock{
		Identifier:            id.String(),
		AmountLocked:          ltx.Tx.TxOut[0].Value,
		LockTransactionTime:   start,
		UnlockTransactionTime: unlock,
		NormalizedFee:         fee,
		Owner:                 info.Owner,
	}, nil
}

// CoreLock is the lock ION's core ends up with for a core index file's writerLockId
// (Blockchain.getValueTimeLock against the bitcoin service's GET /locks/{id}):
//   - an id that does not route to that endpoint ([LockRouteIdentifier]) gets an error status, which
//     the core does not retry: a *sidetree.Error with [CodeBlockchainGetLockResponseNotOk], and the
//     transaction is discarded whatever its operation count;
//   - a lock that does not resolve ([ResolveLock] returns a *sidetree.Error) is a 404: nil, nil, and the
//     transaction is judged without a lock ([VerifyLockAmount]);
//   - a chain or store failure is returned as it is, for the caller to retry later.
func CoreLock(ctx context.Context, writerLockID string, src LockTransactionSource, fees NormalizedFeeSource, net BitcoinNetwork) (*ValueTimeLock, error) {
	id, routed := LockRouteIdentifier(writerLockID)
	if !routed {
		return nil, sidetree.Errorf(CodeBlockchainGetLockResponseNotOk, "writer lock id %q does not reach the lock endpoint", writerLockID)
	}
	lock, err := ResolveLock(ctx, id, src, fees, net)
	var invalid *sidetree.Error
	if errors.As(err, &invalid) {
		return nil, nil
	}
	return lock, err
}
