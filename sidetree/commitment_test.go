package sidetree

import (
	"crypto/sha256"
	"testing"
)

// Hashing the JCS form of a suffix data or a key canonicalizes into a buffer on the stack: one create
// of a batch costs only its suffix string, and the hash is that of Canonicalize's bytes. (Members out of
// JCS order cost one sorted copy more; the values here are in order, as built batches write them.)
func TestCanonicalHashesAllocateOnlyTheResult(t *testing.T) {
	suffixData, err := ParseJSON([]byte(`{"deltaHash":"EiCfDWRnYlcD9EGA3d_5Z1AHu-iYqMbJ9nfiqdz5S8VDbg","recoveryCommitment":"EiBfOZdMtU6OBw8Pk879QtZ-2J-9FbbjSZyoaA_bqD4zhA","type":"b"}`))
	if err != nil {
		t.Fatal(err)
	}
	key, err := ParseJSON([]byte(`{"crv":"secp256k1","kty":"EC","x":"5s3-bKjD1Eu_3NJu8pk7qIdOPl1GBzU_V8aR3xiacoM","y":"v0-Q5H3vcfAfQ4zsebJQvMrIg3pcsaJzRvuIYZ3_UOY"}`))
	if err != nil {
		t.Fatal(err)
	}
	canonical := func(v Value) []byte {
		t.Helper()
		c, err := v.Canonicalize()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	inner := sha256.Sum256(canonical(key))
	tests := []struct {
		name string
		hash func() string
		want string
	}{
		{"ComputeDIDSuffix", func() string { s, _ := ComputeDIDSuffix(suffixData); return s }, HashThenEncode(canonical(suffixData))},
		{"RevealValueOf", func() string { return RevealValueOf(key) }, HashThenEncode(canonical(key))},
		{"CommitmentOf", func() string { return CommitmentOf(key) }, HashThenEncode(inner[:])},
		{"hashCanonical", func() string { s, _ := hashCanonical(suffixData); return s }, HashThenEncode(canonical(suffixData))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.hash(); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
			if n := testing.AllocsPerRun(20, func() { tt.hash() }); n > 1 {
				t.Errorf("%v allocations, want 1 (the result)", n)
			}
		})
	}
}

// FuzzComputeDIDSuffixOfText: hashing the JSON.stringify text of suffix data, where the shortcut takes
// it, gives ComputeDIDSuffix's suffix.
func FuzzComputeDIDSuffixOfText(f *testing.F) {
	for _, s := range []string{
		`{"deltaHash":"EiA","recoveryCommitment":"EiB"}`,
		`{"deltaHash":"EiA","recoveryCommitment":"EiB","type":"abc"}`,
		`{"recoveryCommitment":"EiB","deltaHash":"EiA"}`,
		`{"10":"a","9":"b"}`,
		`{"a":"\u00e9","b":"\n"}`,
		`{"é":"a","z":"b"}`,
		`{"a":1,"b":"c"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseJSON(data)
		if err != nil {
			return
		}
		want, wantErr := ComputeDIDSuffix(v)
		got, err := ComputeDIDSuffixOfText(v, v.Stringify())
		if got != want || (err == nil) != (wantErr == nil) {
			t.Fatalf("%s: suffix %q (%v) from its text, %q (%v) from its JCS form", data, got, err, want, wantErr)
		}
	})
}
