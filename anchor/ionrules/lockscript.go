package ionrules

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/ionode/ionode/sidetree"
)

// LockScript builds ION's value time lock redeem script (BitcoinClient.createFreezeScript):
//
//	<duration> OP_CHECKSEQUENCEVERIFY OP_DROP OP_DUP OP_HASH160 <pubKeyHash> OP_EQUALVERIFY OP_CHECKSIG
//
// A relative lock (BIP 112), not OP_CHECKLOCKTIMEVERIFY: the output can be spent by the key duration
// blocks after the lock transaction confirms. The duration is pushed as data in script-number encoding
// (bitcore's BN.toScriptNumBuffer then Script.add(buffer)), even where a small-integer opcode would be
// minimal, because ION reads it back from the asm text as hex. Durations must be 1 to 2^47−1 (what ION
// can read back: 6 bytes, sign bit clear).
func LockScript(duration int64, pubKeyHash []byte) ([]byte, error) {
	if duration <= 0 || duration >= 1<<47 {
		return nil, fmt.Errorf("ionrules: lock duration %d out of range", duration)
	}
	if len(pubKeyHash) != 20 {
		return nil, fmt.Errorf("ionrules: public key hash is %d bytes, want 20", len(pubKeyHash))
	}
	// A direct push (length byte, then the bytes): txscript's builder would turn 1 to 16 into OP_1–OP_16.
	num := scriptNum(duration)
	rest, err := txscript.NewScriptBuilder().
		AddOp(txscript.OP_CHECKSEQUENCEVERIFY).
		AddOp(txscript.OP_DROP).
		AddOp(txscript.OP_DUP).
		AddOp(txscript.OP_HASH160).
		AddData(pubKeyHash).
		AddOp(txscript.OP_EQUALVERIFY).
		AddOp(txscript.OP_CHECKSIG).
		Script()
	if err != nil {
		return nil, err
	}
	return append(append([]byte{byte(len(num))}, num...), rest...), nil
}

// scriptNum is the minimal little-endian sign-magnitude encoding of a positive number.
func scriptNum(n int64) []byte {
	var b []byte
	for ; n > 0; n >>= 8 {
		b = append(b, byte(n))
	}
	if b[len(b)-1]&0x80 != 0 {
		b = append(b, 0)
	}
	return b
}

// LockScriptInfo is what ION reads from a redeem script it accepts as a lock.
type LockScriptInfo struct {
	// Duration is the relative lock duration in blocks.
	Duration int64
	// Owner is the public key hash as ION reads it: the sixth asm item, as text (normally 40 hex digits).
	Owner string
}

// ParseLockScript checks a redeem script the way ION's LockResolver does (createScript and
// isRedeemScriptALockScript): the script's bitcore asm ([ScriptASM]) must be eight items, the second to
// eighth OP_NOP3 OP_DROP OP_DUP OP_HASH160 <any> OP_EQUALVERIFY OP_CHECKSIG. The first item is decoded
// as Node's Buffer.from(item, 'hex') and read as a signed little-endian integer of that many bytes
// (Buffer.readIntLE), so non-minimal pushes, padding zeros and negative numbers all read "as ION does";
// the sixth is the owner, whatever it is. Errors: CodeLockResolverRedeemScriptIsInvalid (unparseable),
// CodeLockResolverRedeemScriptIsNotLock (wrong shape), CodeLockResolverDurationUnreadable (the first item
// is not 1 to 6 bytes of hex; ION throws a RangeError).
func ParseLockScript(redeemScript []byte) (LockScriptInfo, error) {
	asm, err := ScriptASM(redeemScript)
	if err != nil {
		return LockScriptInfo{}, sidetree.Errorf(CodeLockResolverRedeemScriptIsInvalid, "invalid script buffer: %x", redeemScript)
	}
	parts := strings.Split(asm, " ")
	if len(parts) != 8 || parts[1] != "OP_NOP3" || parts[2] != "OP_DROP" || parts[3] != "OP_DUP" ||
		parts[4] != "OP_HASH160" || parts[6] != "OP_EQUALVERIFY" || parts[7] != "OP_CHECKSIG" {
		return LockScriptInfo{}, sidetree.Errorf(CodeLockResolverRedeemScriptIsNotLock, "%s", asm)
	}
	b := nodeHexDecode(utf16Units(parts[0]))
	if len(b) < 1 || len(b) > 6 {
		return LockScriptInfo{}, sidetree.Errorf(CodeLockResolverDurationUnreadable,
			"the byte length of the duration item %q is %d, out of range 1 to 6", parts[0], len(b))
	}
	return LockScriptInfo{Duration: readIntLE(b), Owner: parts[5]}, nil
}

// readIntLE is Buffer.readIntLE(0, len(b)) for 1 to 6 bytes: two's complement, little-endian.
func readIntLE(b []byte) int64 {
	var v int64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | int64(b[i])
	}
	shift := 64 - 8*uint(len(b))
	return v << shift >> shift
}

// LockOutputScript is the output script a lock transaction's output 0 must carry: pay to the script hash
// of the redeem script (bitcore's Script.buildScriptHashOut).
func LockOutputScript(redeemScript []byte) []byte {
	script, _ := txscript.NewScriptBuilder().
		AddOp(txscript.OP_HASH160).
		AddData(address.Hash160(redeemScript)).
		AddOp(txscript.OP_EQUAL).
		Script()
	return script
}

// PaysToLockScript reports whether an output script pays to the redeem script as ION checks it
// (LockResolver.isOutputPayingToTargetScript): the output's asm equals the asm of [LockOutputScript]. Text
// equality also accepts the 20-byte hash pushed with OP_PUSHDATA1; an output script bitcore cannot parse
// has the empty asm and matches nothing.
//
// The hash is over the redeem script's bytes. bitcore hashes its re-serialization, which differs only for
// a script ending in a truncated push, and no such script passes [ParseLockScript].
func PaysToLockScript(outputScript, redeemScript []byte) bool {
	got, err := ScriptASM(outputScript)
	if err != nil {
		return false
	}
	want, _ := ScriptASM(LockOutputScript(redeemScript))
	return got == want
}

// LockScriptHex is the redeem script in the hex form lock identifiers carry.
func LockScriptHex(redeemScript []byte) string { return hex.EncodeToString(redeemScript) }
