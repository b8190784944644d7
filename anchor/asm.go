package anchor

import (
	"encoding/hex"
	"strings"

	"github.com/ionode/ionode/anchor/ionrules"
)

// ION reads scripts through bitcore-lib's Script.toASM and matches the text (SidetreeTransactionParser),
// so the watcher renders scripts with the same bitcore-exact renderer the lock rules use.
// ok is false for a script bitcore-lib cannot parse (a push whose length field is cut off).
func scriptASM(script []byte) (asm string, ok bool) {
	asm, err := ionrules.ScriptASM(script)
	return asm, err == nil
}

// opReturn is the opcode the watcher looks for before rendering an output at all.
const opReturn = 0x6a

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
