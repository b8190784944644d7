package counterstream

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"testing"
)

func TestBytes(t *testing.T) {
	var ctr [8]byte
	binary.BigEndian.PutUint64(ctr[:], 1)
	second := sha256.Sum256(ctr[:])
	got := Bytes(40)
	if len(got) != 40 || !bytes.Equal(got[32:], second[:8]) {
		t.Fatalf("Bytes(40) = %x, want sha256(be64(0)) then the first 8 bytes of %x", got, second)
	}
	if long := Bytes(1000); !bytes.Equal(long[:40], got) {
		t.Fatal("Bytes(40) is not a prefix of Bytes(1000)")
	}
}
