package anchor

import (
	"bytes"
	"slices"
	"testing"
	"unicode/utf8"
)

func FuzzParseAnchorString(f *testing.F) {
	for _, s := range []string{"1.QmWd5PH6vyRH5kMdzZRPBnf952dbR4av3Bd7B2wBqMaAcf", "10000.x", "10001.x", "0.x", "01.x", "1", "1.2.3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAnchorString(s)
		if err != nil {
			return
		}
		if a.Operations < 1 || a.Operations > MaxOperationsPerBatch {
			t.Fatalf("%q parsed to %d operations", s, a.Operations)
		}
		if a.String() != s {
			t.Fatalf("%q formats back as %q", s, a.String())
		}
	})
}

func FuzzOutputAnchorString(f *testing.F) {
	f.Add([]byte{0x6a, 0x0a, 'i', 'o', 'n', ':', '1', '.', 'Q', 'a', 'b', 'c'}, "1.Qabc")
	f.Add([]byte{0x6a, 0x4d, 0x04, 0x00, 'i', 'o', 'n', ':'}, "")
	f.Add([]byte{0x6a, 0x4c}, "x")
	f.Add([]byte{0x76, 0xa9, 0x14}, "\xff")
	f.Fuzz(func(t *testing.T, script []byte, anchorString string) {
		// Arbitrary scripts: never a panic, always valid UTF-8, never a match without OP_RETURN.
		a, ok := OutputAnchorString(script, Prefix)
		if slowA, slowOK := outputAnchorStringASM(script, Prefix); a != slowA || ok != slowOK {
			t.Fatalf("%x: shortcut gives %q %v, asm path %q %v", script, a, ok, slowA, slowOK)
		}
		if ok {
			if !utf8.ValidString(a) {
				t.Fatalf("invalid UTF-8 anchor %q", a)
			}
			if !bytes.Contains(script, []byte{opReturn}) {
				t.Fatalf("anchor %q without OP_RETURN in %x", a, script)
			}
		}
		inputHasSignatureAndKey(script)
		p2pkhWriter(script)
		// What the writer builds, the reader reads back.
		if !utf8.ValidString(anchorString) {
			return
		}
		out, err := AnchorScript(Prefix, anchorString)
		if err != nil {
			return
		}
		got, ok := OutputAnchorString(out, Prefix)
		if !ok || got != anchorString {
			t.Fatalf("AnchorScript(%q) reads back as %q, %v", anchorString, got, ok)
		}
	})
}

func FuzzCursorUnmarshal(f *testing.F) {
	f.Add([]byte(`{"height":5,"hashes":["0000000000000000000000000000000000000000000000000000000000000001"]}`))
	f.Add([]byte(`{"height":0,"hashes":[]}`))
	f.Add([]byte(`{"height":-3,"hashes":["00","11"]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Cursor
		if err := c.UnmarshalBinary(b); err != nil {
			return
		}
		again, err := c.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var d Cursor
		if err := d.UnmarshalBinary(again); err != nil || d.Height != c.Height || !slices.Equal(d.Hashes, c.Hashes) {
			t.Fatalf("round trip %+v -> %+v (%v)", c, d, err)
		}
		// Moving the cursor never panics.
		c.truncate(c.Height - 1)
		c.advance(c.Height+1, [32]byte{}, 3)
	})
}

func FuzzDecodeUTF8LikeNode(f *testing.F) {
	f.Add([]byte("ion:1.Q"))
	f.Add([]byte{0xe2, 0x82, 'a', 0xf0, 0x9f, 0x98, 0xed, 0xa0, 0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		s := decodeUTF8LikeNode(b)
		if !utf8.ValidString(s) {
			t.Fatalf("invalid output for %x", b)
		}
		if utf8.Valid(b) && s != string(b) {
			t.Fatalf("valid input %x changed", b)
		}
	})
}
