package anchor

import (
	"context"
	"fmt"

	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/ionode/ionode/signer"
)

// signHash signs a SIGHASH_ALL signature hash through the key's signer and returns Bitcoin's
// DER signature (low S, BIP 66) with the sighash type byte appended.
func (k *Key) signHash(ctx context.Context, hash []byte) ([]byte, error) {
	raw, err := k.signer.Sign(ctx, hash)
	if err != nil {
		return nil, fmt.Errorf("anchor: sign with %s: %w", k.signer.Name(), err)
	}
	der, err := signer.DER(raw)
	if err != nil {
		return nil, fmt.Errorf("anchor: sign with %s: %w", k.signer.Name(), err)
	}
	return append(der, byte(txscript.SigHashAll)), nil
}

// signatureScript signs input idx, which spends the key's P2PKH output pkScript: <sig> <pubkey>.
func (k *Key) signatureScript(ctx context.Context, tx *wire.MsgTx, idx int, pkScript []byte) ([]byte, error) {
	hash, err := txscript.CalcSignatureHash(pkScript, txscript.SigHashAll, tx, idx)
	if err != nil {
		return nil, err
	}
	sig, err := k.signHash(ctx, hash)
	if err != nil {
		return nil, err
	}
	return txscript.NewScriptBuilder().AddData(sig).AddData(k.pub).Script()
}

// witness signs input idx, which spends amount from the key's P2WPKH output pkScript (BIP 143).
func (k *Key) witness(ctx context.Context, tx *wire.MsgTx, hashes *txscript.TxSigHashes, idx int, amount int64, pkScript []byte) (wire.TxWitness, error) {
	hash, err := txscript.CalcWitnessSigHash(pkScript, hashes, txscript.SigHashAll, tx, idx, amount)
	if err != nil {
		return nil, err
	}
	sig, err := k.signHash(ctx, hash)
	if err != nil {
		return nil, err
	}
	return wire.TxWitness{sig, k.pub}, nil
}
