package mainnetblocks

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/txscript/v2"
)

// kind is an output type the generator pays to and later spends.
type kind uint8

const (
	p2wpkh kind = iota
	p2tr
	p2pkh
	p2wsh // 2-of-3 multisig
)

// key is one of the generator's keys with its output scripts precomputed.
type key struct {
	priv    *btcec.PrivateKey
	pub     []byte // compressed
	scripts [4][]byte
	witness []byte // the P2WSH witness script (2-of-3 of this key and the next two)
}

// numKeys keeps the pool of output scripts varied: the watcher's output filter looks for the byte 0x6a
// in scripts, so their hashes must be spread as a real chain's are.
const numKeys = 1024

func newKeys(seed uint64) ([]key, error) {
	keys := make([]key, numKeys)
	for i := range keys {
		var buf [16]byte
		binary.BigEndian.PutUint64(buf[:8], seed)
		binary.BigEndian.PutUint64(buf[8:], uint64(i))
		d := sha256.Sum256(buf[:])
		priv, _ := btcec.PrivKeyFromBytes(d[:])
		keys[i] = key{priv: priv, pub: priv.PubKey().SerializeCompressed()}
	}
	for i := range keys {
		k := &keys[i]
		h := address.Hash160(k.pub)
		var err error
		if k.scripts[p2wpkh], err = txscript.NewScriptBuilder().AddOp(txscript.OP_0).AddData(h).Script(); err != nil {
			return nil, err
		}
		if k.scripts[p2pkh], err = txscript.NewScriptBuilder().AddOp(txscript.OP_DUP).AddOp(txscript.OP_HASH160).
			AddData(h).AddOp(txscript.OP_EQUALVERIFY).AddOp(txscript.OP_CHECKSIG).Script(); err != nil {
			return nil, err
		}
		if k.scripts[p2tr], err = txscript.PayToTaprootScript(txscript.ComputeTaprootKeyNoScript(k.priv.PubKey())); err != nil {
			return nil, err
		}
		b := txscript.NewScriptBuilder().AddOp(txscript.OP_2)
		for j := range 3 {
			b.AddData(keys[(i+j)%numKeys].pub)
		}
		if k.witness, err = b.AddOp(txscript.OP_3).AddOp(txscript.OP_CHECKMULTISIG).Script(); err != nil {
			return nil, err
		}
		wh := sha256.Sum256(k.witness)
		if k.scripts[p2wsh], err = txscript.NewScriptBuilder().AddOp(txscript.OP_0).AddData(wh[:]).Script(); err != nil {
			return nil, err
		}
	}
	return keys, nil
}
