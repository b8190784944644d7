package status

import (
	"crypto/rand"
	"testing"

	"github.com/ionode/ionode/internal/worktest"
)

// TestDecodeLinear: decoding an encodedList costs work linear in the list's size.
func TestDecodeLinear(t *testing.T) {
	list := func(n int) []byte {
		b := NewBitstring(n * 8)
		if _, err := rand.Read(b); err != nil { // incompressible: the most input for a list of n bytes
			t.Fatal(err)
		}
		enc, err := b.Encode(BitstringStatusList)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(enc)
	}
	worktest.Linear(t, 64<<10, list, func(in []byte) {
		if _, err := Decode(string(in), BitstringStatusList); err != nil {
			t.Fatal(err)
		}
	})
}
