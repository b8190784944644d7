package anchor

import (
	"encoding/hex"
	"testing"
	"unicode/utf8"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hexOf is hex of a string's bytes.
func hexOf(s string) string { return hex.EncodeToString([]byte(s)) }

func TestScriptASM(t *testing.T) {
	// Expected strings are bitcore-lib 8.22.2's Script.toASM of the same bytes (computed with the
	// package under interop/node_modules).
	tests := []struct {
		script string
		asm    string
		ok     bool
	}{
		{"", "", true},
		{"76a914" + "00112233445566778899aabbccddeeff00112233" + "88ac", "OP_DUP OP_HASH160 00112233445566778899aabbccddeeff00112233 OP_EQUALVERIFY OP_CHECKSIG", true},
		{"6a04" + hexOf("ion:"), "OP_RETURN " + hexOf("ion:"), true},
		{"6a4c04" + hexOf("ion:"), "OP_RETURN " + hexOf("ion:"), true},
		{"6a4d0400" + hexOf("ion:"), "OP_RETURN OP_PUSHDATA2 " + hexOf("ion:"), true},
		{"6a4e04000000" + hexOf("ion:"), "OP_RETURN OP_PUSHDATA4 " + hexOf("ion:"), true},
		{"6a4c00", "OP_RETURN", true},        // zero-length push renders nothing
		{"6a0a0102", "OP_RETURN 0102", true}, // truncated push keeps its bytes
		{"6a05", "OP_RETURN ", true},         // truncated to nothing: a trailing space
		{"6a4c", "", false},                  // push length cut off
		{"6a4d01", "", false},                // push length cut off
		{"004f51ba", "0 -1 OP_1 ba", true},   // as bitcore renders it
		{"0295114b7500", "9511 7500", true},  // a push of 75 bytes cut short
	}
	for _, tt := range tests {
		got, ok := scriptASM(mustHex(t, tt.script))
		if ok != tt.ok || (ok && got != tt.asm) {
			t.Errorf("scriptASM(%s) = %q, %v; want %q, %v", tt.script, got, ok, tt.asm, tt.ok)
		}
	}
}

func TestOutputAnchorString(t *testing.T) {
	tests := []struct {
		name   string
		script string
		want   string
		ok     bool
	}{
		{"standard", "6a0a" + hexOf("ion:1.Qabc"), "1.Qabc", true},
		{"pushdata1", "6a4c0a" + hexOf("ion:1.Qabc"), "1.Qabc", true},
		{"pushdata2 is not matched by ION", "6a4d0a00" + hexOf("ion:1.Qabc"), "", false},
		{"empty anchor", "6a04" + hexOf("ion:"), "", true},
		{"other prefix", "6a0a" + hexOf("xyz:1.Qabc"), "", false},
		{"uppercase prefix", "6a0a" + hexOf("ION:1.Qabc"), "", false},
		{"no OP_RETURN", "0a" + hexOf("ion:1.Qabc"), "", false},
		{"two pushes", "6a04" + hexOf("ion:") + "02" + hexOf("1."), "", false},
		{"opcode before OP_RETURN", "516a0a" + hexOf("ion:1.Qabc"), "1.Qabc", true},
		{"OP_RETURN inside a push, then data", "016a0a" + hexOf("ion:1.Qabc"), "", false},
		{"truncated push", "6a0e" + hexOf("ion:1.Qabc"), "1.Qabc", true},
		{"invalid UTF-8 kept as replacement", "6a07" + hexOf("ion:1.") + "ff", "1.\uFFFD", true},
		{"unparsable", "6a4c", "", false},
	}
	for _, tt := range tests {
		got, ok := OutputAnchorString(mustHex(t, tt.script), Prefix)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%s: OutputAnchorString = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestTransactionAnchorStringFirstWins(t *testing.T) {
	scripts := [][]byte{
		mustHex(t, "6a05"+hexOf("hello")),
		mustHex(t, "6a0a"+hexOf("ion:1.Qabc")),
		mustHex(t, "6a0a"+hexOf("ion:2.Qdef")),
	}
	got, out, ok := TransactionAnchorString(scripts, Prefix)
	if !ok || got != "1.Qabc" || out != 1 {
		t.Fatalf("got %q output %d %v", got, out, ok)
	}
}

func TestWriterChecks(t *testing.T) {
	sig := "47" + hex.EncodeToString(make([]byte, 71))
	pub := "21" + hex.EncodeToString(make([]byte, 33))
	if !inputHasSignatureAndKey(mustHex(t, sig+pub)) {
		t.Error("P2PKH scriptSig rejected")
	}
	for _, s := range []string{"", sig, sig + pub + "00", "00" + "4c00" + sig} {
		if s == "00"+"4c00"+sig {
			// OP_0, an empty push that renders nothing, a signature: two tokens, as in ION.
			if !inputHasSignatureAndKey(mustHex(t, s)) {
				t.Error("two asm tokens rejected")
			}
			continue
		}
		if inputHasSignatureAndKey(mustHex(t, s)) {
			t.Errorf("scriptSig %s accepted", s)
		}
	}
	pkh := "00112233445566778899aabbccddeeff00112233"
	if w, ok := p2pkhWriter(mustHex(t, "76a914"+pkh+"88ac")); !ok || w != pkh {
		t.Errorf("P2PKH writer = %q %v", w, ok)
	}
	for _, s := range []string{"0014" + pkh, "a914" + pkh + "87", "76a914" + pkh + "88ac00"} {
		if _, ok := p2pkhWriter(mustHex(t, s)); ok {
			t.Errorf("script %s accepted as P2PKH", s)
		}
	}
}

func TestDecodeUTF8LikeNode(t *testing.T) {
	// Expected values are Node's Buffer.from(bytes).toString().
	tests := []struct{ in, want string }{
		{"ion:", "ion:"},
		{"\xff", "\uFFFD"},
		{"\xe2\x82", "\uFFFD"},                 // truncated 3-byte sequence: one replacement
		{"\xe2\x82a", "\uFFFDa"},               // maximal subpart then ASCII
		{"\xf0\x9f\x98", "\uFFFD"},             // truncated 4-byte sequence
		{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"}, // surrogate: E D then two stray continuations
		{"\xc0\xaf", "\uFFFD\uFFFD"},           // overlong
		{"a\xe2\x82\xac", "a€"},
	}
	for _, tt := range tests {
		got := decodeUTF8LikeNode([]byte(tt.in))
		if got != tt.want {
			t.Errorf("decode(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("decode(%q) is not valid UTF-8", tt.in)
		}
	}
}
