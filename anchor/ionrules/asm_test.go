package ionrules

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"
)

// TestScriptASMMatchesBitcore compares with bitcore-lib's own rendering of ~800 scripts:
// testdata/asm_bitcore.json, made by testdata/refgen/asm.js (see there).
func TestScriptASMMatchesBitcore(t *testing.T) {
	raw, err := os.ReadFile("testdata/asm_bitcore.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases [][2]string
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	var unparseable int
	for _, c := range cases {
		script, err := hex.DecodeString(c[0])
		if err != nil {
			t.Fatal(err)
		}
		got, err := ScriptASM(script)
		if err != nil {
			got = "!ERR"
			unparseable++
		}
		if got != c[1] {
			t.Errorf("ScriptASM(%s) = %q, bitcore %q", c[0], got, c[1])
		}
	}
	if unparseable == 0 || len(cases) < 700 {
		t.Errorf("golden file too thin: %d cases, %d unparseable", len(cases), unparseable)
	}
	if got, err := ScriptASM(nil); got != "" || err != nil {
		t.Errorf("ScriptASM(empty) = %q, %v", got, err)
	}
	if len(bitcoreNames) != 0xb9-0x50+1 {
		t.Errorf("bitcoreNames has %d names", len(bitcoreNames))
	}
}
