package ionrules

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
)

// ErrScriptUnparseable is returned by [ScriptASM] for a script bitcore-lib cannot parse: a push whose
// length field itself is cut off.
var ErrScriptUnparseable = errors.New("ionrules: script cannot be parsed")

// ScriptASM renders a script as bitcore-lib 8.22.2's Script.toASM, the text ION matches lock scripts and
// writers against (LockResolver, SidetreeTransactionParser), quirks included:
//   - a data push is its hex, whatever opcode pushed it, except that OP_PUSHDATA2 and OP_PUSHDATA4 are
//     preceded by their name (operator precedence in bitcore's _chunkToString); a zero-length data push
//     renders nothing, not even a separator;
//   - a push running past the end of the script keeps the bytes that are there;
//   - OP_0 renders "0", OP_1NEGATE "-1", the other named opcodes by bitcore's names (OP_CHECKSEQUENCEVERIFY
//     is "OP_NOP3", OP_CHECKLOCKTIMEVERIFY "OP_NOP2"), unnamed ones (0xba–0xfc) as two hex digits;
//   - a push whose length field is cut off makes the whole script unparseable ([ErrScriptUnparseable]).
//
// The chain side should derive a transaction's writer with this function too, so that the lock owner
// and the writer are compared as the same text.
func ScriptASM(script []byte) (string, error) {
	var b strings.Builder
	for i := 0; i < len(script); {
		op := script[i]
		i++
		var n int
		switch {
		case op > 0 && op < opPushData1:
			n = int(op)
		case op == opPushData1:
			if i+1 > len(script) {
				return "", ErrScriptUnparseable
			}
			n = int(script[i])
			i++
		case op == opPushData2:
			if i+2 > len(script) {
				return "", ErrScriptUnparseable
			}
			n = int(binary.LittleEndian.Uint16(script[i:]))
			i += 2
			b.WriteString(" OP_PUSHDATA2")
		case op == opPushData4:
			if i+4 > len(script) {
				return "", ErrScriptUnparseable
			}
			n = int(binary.LittleEndian.Uint32(script[i:]))
			i += 4
			b.WriteString(" OP_PUSHDATA4")
		default:
			b.WriteByte(' ')
			b.WriteString(opcodeASM(op))
			continue
		}
		end := len(script)
		if n >= 0 && n < len(script)-i {
			end = i + n
		}
		if n != 0 {
			b.WriteByte(' ')
			b.WriteString(hex.EncodeToString(script[i:end]))
		}
		i = end
	}
	return strings.TrimPrefix(b.String(), " "), nil
}

const (
	opPushData1 = 0x4c
	opPushData2 = 0x4d
	opPushData4 = 0x4e
)

// opcodeASM names a non-push opcode as bitcore's asm does.
func opcodeASM(op byte) string {
	switch {
	case op == 0:
		return "0"
	case op == 0x4f:
		return "-1"
	case op >= 0x50 && op <= 0xb9:
		return bitcoreNames[op-0x50]
	case op >= 0xfd:
		return [...]string{"OP_PUBKEYHASH", "OP_PUBKEY", "OP_INVALIDOPCODE"}[op-0xfd]
	}
	return hex.EncodeToString([]byte{op})
}

// bitcoreNames are bitcore-lib 8.22.2's Opcode.reverseMap names of 0x50–0xb9, printed by
// node -e 'const O=require("bitcore-lib").Opcode;for(let i=0x50;i<=0xb9;i++)console.log(O.reverseMap[i])'.
var bitcoreNames = [...]string{
	"OP_RESERVED", "OP_1", "OP_2", "OP_3", "OP_4", "OP_5", "OP_6", "OP_7", "OP_8", "OP_9", "OP_10", "OP_11",
	"OP_12", "OP_13", "OP_14", "OP_15", "OP_16", "OP_NOP", "OP_VER", "OP_IF", "OP_NOTIF", "OP_VERIF",
	"OP_VERNOTIF", "OP_ELSE", "OP_ENDIF", "OP_VERIFY", "OP_RETURN", "OP_TOALTSTACK", "OP_FROMALTSTACK",
	"OP_2DROP", "OP_2DUP", "OP_3DUP", "OP_2OVER", "OP_2ROT", "OP_2SWAP", "OP_IFDUP", "OP_DEPTH", "OP_DROP",
	"OP_DUP", "OP_NIP", "OP_OVER", "OP_PICK", "OP_ROLL", "OP_ROT", "OP_SWAP", "OP_TUCK", "OP_CAT",
	"OP_SUBSTR", "OP_LEFT", "OP_RIGHT", "OP_SIZE", "OP_INVERT", "OP_AND", "OP_OR", "OP_XOR", "OP_EQUAL",
	"OP_EQUALVERIFY", "OP_RESERVED1", "OP_RESERVED2", "OP_1ADD", "OP_1SUB", "OP_2MUL", "OP_2DIV",
	"OP_NEGATE", "OP_ABS", "OP_NOT", "OP_0NOTEQUAL", "OP_ADD", "OP_SUB", "OP_MUL", "OP_DIV", "OP_MOD",
	"OP_LSHIFT", "OP_RSHIFT", "OP_BOOLAND", "OP_BOOLOR", "OP_NUMEQUAL", "OP_NUMEQUALVERIFY",
	"OP_NUMNOTEQUAL", "OP_LESSTHAN", "OP_GREATERTHAN", "OP_LESSTHANOREQUAL", "OP_GREATERTHANOREQUAL",
	"OP_MIN", "OP_MAX", "OP_WITHIN", "OP_RIPEMD160", "OP_SHA1", "OP_SHA256", "OP_HASH160", "OP_HASH256",
	"OP_CODESEPARATOR", "OP_CHECKSIG", "OP_CHECKSIGVERIFY", "OP_CHECKMULTISIG", "OP_CHECKMULTISIGVERIFY",
	"OP_NOP1", "OP_NOP2", "OP_NOP3", "OP_NOP4", "OP_NOP5", "OP_NOP6", "OP_NOP7", "OP_NOP8", "OP_NOP9",
	"OP_NOP10",
}
