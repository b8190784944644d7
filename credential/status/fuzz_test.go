package status

import (
	"bytes"
	"testing"
)

// FuzzDecode feeds arbitrary encodedLists to the decoder: it must fail cleanly or return a list within
// the size bounds that encodes back to the same bits.
func FuzzDecode(f *testing.F) {
	f.Add("H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", false)
	f.Add("uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", true)
	f.Add("H4sI", false)
	f.Fuzz(func(t *testing.T, enc string, bitstring bool) {
		kind := StatusList2021
		if bitstring {
			kind = BitstringStatusList
		}
		bits, err := Decode(enc, kind)
		if err != nil {
			return
		}
		if bits.Len() < MinEntries || bits.Len() > MaxEntries {
			t.Fatalf("decoded %d entries", bits.Len())
		}
		again, err := bits.Encode(kind)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(again, kind)
		if err != nil || !bytes.Equal(back, bits) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
