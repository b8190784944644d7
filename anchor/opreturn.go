package anchor

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/btcsuite/btcd/txscript/v2"
)

// Prefix is ION's sidetreeTransactionPrefix on every network (ion config/*-bitcoin-config.json).
const Prefix = "ion:"

// MaxDataCarrierSize is the largest OP_RETURN payload Bitcoin nodes relay by default (btcd, and Bitcoin
// Core before v30): the writer never builds a larger one. Reading has no limit, as in ION.
const MaxDataCarrierSize = txscript.MaxDataCarrierSize

// ErrDataTooLarge is returned when prefix and anchor string exceed MaxDataCarrierSize bytes.
var ErrDataTooLarge = errors.New("anchor: OP_RETURN data too large")

// opReturnASM is SidetreeTransactionParser's pattern over an output's asm.
var opReturnASM = regexp.MustCompile(`\s*OP_RETURN ([0-9a-fA-F]+)$`)

// OutputAnchorString returns the anchor string an output carries, as ION's SidetreeTransactionParser
// reads it: the output's asm ends with OP_RETURN and one hex data token, whose bytes, decoded as UTF-8,
// start with prefix; the anchor string is what follows the prefix. Everything else is no anchor.
func OutputAnchorString(pkScript []byte, prefix string) (string, bool) {
	if !mayHoldOpReturn(pkScript) {
		return "", false
	}
	return outputAnchorStringASM(pkScript, prefix)
}

// mayHoldOpReturn is false when no opcode of the script is OP_RETURN, so its asm has no OP_RETURN token
// and rendering it can be skipped. Most outputs lack the 0x6a byte altogether; of those that have it
// (one P2PKH hash in thirteen), walking the opcodes without allocating spares the asm and the regexp,
// which were most of the watcher's own time per block. A script txscript cannot walk goes to the
// bitcore-exact path.
func mayHoldOpReturn(script []byte) bool {
	if bytes.IndexByte(script, opReturn) < 0 {
		return false
	}
	tok := txscript.MakeScriptTokenizer(0, script)
	for tok.Next() {
		if tok.Opcode() == opReturn {
			return true
		}
	}
	return tok.Err() != nil
}

// outputAnchorStringASM is OutputAnchorString without the shortcut.
func outputAnchorStringASM(pkScript []byte, prefix string) (string, bool) {
	asm, ok := scriptASM(pkScript)
	if !ok {
		return "", false // bitcore-lib gives such an output a null script, asm ''
	}
	m := opReturnASM.FindStringSubmatch(asm)
	if m == nil {
		return "", false
	}
	data := decodeUTF8LikeNode(decodeHexLikeNode(m[1]))
	if !strings.HasPrefix(data, prefix) {
		return "", false
	}
	return data[len(prefix):], true
}

// TransactionAnchorString returns the first anchor string among a transaction's outputs; ION ignores
// the others.
func TransactionAnchorString(pkScripts [][]byte, prefix string) (anchorString string, output int, ok bool) {
	for i, s := range pkScripts {
		if a, ok := OutputAnchorString(s, prefix); ok {
			return a, i, true
		}
	}
	return "", -1, false
}

// AnchorScript builds the OP_RETURN output script carrying prefix+anchorString, as the reference writer
// does (Script.buildDataOut: OP_RETURN and one minimal push). It fails with ErrDataTooLarge above
// MaxDataCarrierSize bytes.
func AnchorScript(prefix, anchorString string) ([]byte, error) {
	data := []byte(prefix + anchorString)
	if len(data) > MaxDataCarrierSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrDataTooLarge, len(data), MaxDataCarrierSize)
	}
	return txscript.NullDataScript(data)
}

// inputHasSignatureAndKey is ION's check of a transaction's first input: its scriptSig asm is exactly
// two tokens (<signature> <public key>). Segwit inputs have an empty scriptSig and never qualify, so
// an ION writer must spend a P2PKH output first.
func inputHasSignatureAndKey(sigScript []byte) bool {
	asm, ok := scriptASM(sigScript)
	return ok && len(asmParts(asm)) == 2
}

// p2pkhWriter returns the writer identity ION derives from the output the first input spends: the third
// asm token of a script that reads OP_DUP OP_HASH160 <x> OP_EQUALVERIFY OP_CHECKSIG (for a standard
// P2PKH script, the hex public key hash).
func p2pkhWriter(pkScript []byte) (string, bool) {
	asm, ok := scriptASM(pkScript)
	if !ok {
		return "", false
	}
	p := asmParts(asm)
	if len(p) == 5 && p[0] == "OP_DUP" && p[1] == "OP_HASH160" && p[3] == "OP_EQUALVERIFY" && p[4] == "OP_CHECKSIG" {
		return p[2], true
	}
	return "", false
}
