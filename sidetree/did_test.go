package sidetree

import (
	"errors"
	"strings"
	"testing"
)

// TestParseDIDLongFormRejects covers the checks of a long-form DID's initial state that ParseDID makes
// without repeating the work parsing already did (the suffix against the computed one, the encoding
// against the canonical form).
func TestParseDIDLongFormRejects(t *testing.T) {
	didVec := sidetreeVector(t, "resolution", "did.json")
	long, _ := field(didVec, "longFormDid").Str()
	prefix := "did:sidetree:"
	cut := strings.LastIndex(long, ":")
	suffix, encoded := long[len(prefix):cut], long[cut+1:]
	initial, err := DecodeBase64URL(encoded)
	if err != nil {
		t.Fatal(err)
	}
	other := HashThenEncode([]byte("another suffix data"))
	spaced := strings.Replace(string(initial), ":", " :", 1) // same JSON, not JCS
	tests := []struct {
		name string
		did  string
		want Code
	}{
		{"another valid suffix", prefix + other + ":" + encoded, CodeDidUniqueSuffixFromInitialStateMismatch},
		{"suffix one character short", prefix + suffix[:len(suffix)-1] + ":" + encoded, CodeDidUniqueSuffixFromInitialStateMismatch},
		{"initial state not canonical", prefix + suffix + ":" + EncodeBase64URL([]byte(spaced)), CodeDidInitialStateJcsIsNotJcs},
		{"initial state not JSON", prefix + suffix + ":" + EncodeBase64URL(initial[:len(initial)-1]), CodeDidInitialStateJcsIsNotJson},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDID(tc.did, "sidetree", Mainnet().Latest())
			var e *Error
			if !errors.As(err, &e) || e.Code != tc.want {
				t.Fatalf("ParseDID error %v, want code %s", err, tc.want)
			}
		})
	}
	if _, err := ParseDID(long, "sidetree", Mainnet().Latest()); err != nil {
		t.Fatalf("the vector itself: %v", err)
	}
}

// TestIsBase64URLOf compares with EncodeBase64URL at every length around the 48-byte blocks, and rejects
// near misses: a changed last character (trailing bits), one character more or less.
func TestIsBase64URLOf(t *testing.T) {
	data := make([]byte, 200)
	for i := range data {
		data[i] = byte(i*7 + 3)
	}
	for n := 0; n <= len(data); n++ {
		enc := EncodeBase64URL(data[:n])
		if !isBase64URLOf(enc, data[:n]) {
			t.Fatalf("%d bytes: its own encoding rejected", n)
		}
		if isBase64URLOf(enc+"A", data[:n]) {
			t.Fatalf("%d bytes: a longer string accepted", n)
		}
		if n == 0 {
			continue
		}
		if isBase64URLOf(enc[:len(enc)-1], data[:n]) {
			t.Fatalf("%d bytes: a shorter string accepted", n)
		}
		last := enc[len(enc)-1]
		other := byte('A')
		if last == 'A' {
			other = 'B'
		}
		if isBase64URLOf(enc[:len(enc)-1]+string(other), data[:n]) {
			t.Fatalf("%d bytes: a different last character accepted", n)
		}
	}
}
