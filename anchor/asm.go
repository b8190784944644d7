package anchor

import (
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// ION reads scripts through bitcore-lib's Script.toASM and matches the text (SidetreeTransactionParser,
// LockResolver). To see exactly the transactions ION sees, scriptASM renders a script the way
// bitcore-lib 8.22.2 does, quirks included:
//   - a data push is its hex; a zero-length push renders nothing at all;
//   - OP_PUSHDATA2 and OP_PUSHDATA4 pushes are preceded by their opcode name (operator precedence in
//     _chunkToString), OP_PUSHDATA1 pushes are not;
//   - a push running past the end of the script keeps its truncated bytes;
//   - OP_0 renders "0", OP_1NEGATE "-1", opcodes bitcore does not name (0xba–0xfc) two hex digits;
//   - a script whose push length itself is cut off cannot be parsed (ok = false).
//
// Only the names our matching needs are spelled out; every other named opcode renders as "OP_#<n>",
// which, like its real name, is one token that is neither hex nor any name we match.
func scriptASM(script []byte) (asm string, ok bool) {
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
				return "", false
			}
			n = int(script[i])
			i++
		case op == opPushData2:
			if i+2 > len(script) {
				return "", false
			}
			n = int(binary.LittleEndian.Uint16(script[i:]))
			i += 2
			b.WriteString(" OP_PUSHDATA2")
		case op == opPushData4:
			if i+4 > len(script) {
				return "", false
			}
			n = int(binary.LittleEndian.Uint32(script[i:]))
			i += 4
			b.WriteString(" OP_PUSHDATA4")
		default:
			b.WriteByte(' ')
			b.WriteString(opcodeASM(op))
			continue
		}
		end := min(len(script), i+n)
		if n < 0 { // a 4-byte length beyond int range on 32-bit platforms
			end = len(script)
		}
		if n != 0 {
			b.WriteByte(' ')
			b.WriteString(hex.EncodeToString(script[i:end]))
		}
		i = end
	}
	s := b.String()
	if s != "" {
		s = s[1:]
	}
	return s, true
}

const (
	opPushData1   = 0x4c
	opPushData2   = 0x4d
	opPushData4   = 0x4e
	op1Negate     = 0x4f
	opReturn      = 0x6a
	opDrop        = 0x75
	opDup         = 0x76
	opEqualVerify = 0x88
	opHash160     = 0xa9
	opCheckSig    = 0xac
	opNop3        = 0xb2 // OP_CHECKSEQUENCEVERIFY; bitcore names it OP_NOP3
)

func opcodeASM(op byte) string {
	switch {
	case op == 0:
		return "0"
	case op == op1Negate:
		return "-1"
	case op >= 0xba && op <= 0xfc:
		return hex.EncodeToString([]byte{op})
	}
	switch op {
	case opReturn:
		return "OP_RETURN"
	case opDrop:
		return "OP_DROP"
	case opDup:
		return "OP_DUP"
	case opEqualVerify:
		return "OP_EQUALVERIFY"
	case opHash160:
		return "OP_HASH160"
	case opCheckSig:
		return "OP_CHECKSIG"
	case opNop3:
		return "OP_NOP3"
	}
	return "OP_#" + hex.EncodeToString([]byte{op})
}

// asmParts is JavaScript's asm.split(' ').
func asmParts(asm string) []string { return strings.Split(asm, " ") }

// decodeHexLikeNode decodes hex as Node's Buffer.from(s, 'hex'): pairs until the first invalid one,
// a trailing odd digit ignored.
func decodeHexLikeNode(s string) []byte {
	out := make([]byte, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		b, err := hex.DecodeString(s[i : i+2])
		if err != nil {
			break
		}
		out = append(out, b[0])
	}
	return out
}
