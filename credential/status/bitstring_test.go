package status

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestBitOrder(t *testing.T) {
	b := NewBitstring(0)
	if b.Len() != MinEntries {
		t.Fatalf("len %d", b.Len())
	}
	for _, i := range []int{0, 7, 8, 94567, MinEntries - 1} {
		if err := b.Set(i, true); err != nil {
			t.Fatal(err)
		}
	}
	// Index 0 is the most significant bit of the first byte.
	if b[0] != 0x81 || b[1] != 0x80 || b[len(b)-1] != 0x01 {
		t.Fatalf("bytes %x %x %x", b[0], b[1], b[len(b)-1])
	}
	for _, tt := range []struct {
		i    int
		want bool
	}{{0, true}, {1, false}, {7, true}, {8, true}, {94567, true}, {94568, false}} {
		if got, _ := b.Get(tt.i); got != tt.want {
			t.Errorf("Get(%d) = %v", tt.i, got)
		}
	}
	_ = b.Set(7, false)
	if got, _ := b.Get(7); got {
		t.Fatal("clear failed")
	}
	if _, err := b.Get(MinEntries); err == nil {
		t.Fatal("out of range Get succeeded")
	}
	if err := b.Set(-1, true); err == nil {
		t.Fatal("negative Set succeeded")
	}
}

func TestEncodeDecode(t *testing.T) {
	for _, kind := range []Kind{StatusList2021, BitstringStatusList} {
		b := NewBitstring(200000)
		_ = b.Set(123456, true)
		enc, err := b.Encode(kind)
		if err != nil {
			t.Fatal(err)
		}
		if kind == BitstringStatusList && !strings.HasPrefix(enc, "u") {
			t.Fatalf("no multibase prefix: %.10s", enc)
		}
		back, err := Decode(enc, kind)
		if err != nil || !bytes.Equal(back, b) {
			t.Fatalf("%s round trip: %v", kind, err)
		}
	}
	// The empty 2021 list of the specification's example: 16 KiB of zeros.
	if _, err := Decode("H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", StatusList2021); err != nil {
		t.Fatalf("spec example: %v", err)
	}
}

func gz(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(make([]byte, n))
	_ = zw.Close()
	return buf.Bytes()
}

func TestDecodeRejects(t *testing.T) {
	small := base64.RawURLEncoding.EncodeToString(gz(t, 100))
	bomb := base64.RawURLEncoding.EncodeToString(gz(t, MaxEntries/8+1))
	good := base64.RawURLEncoding.EncodeToString(gz(t, MinEntries/8))
	for _, tt := range []struct {
		name string
		enc  string
		kind Kind
	}{
		{"too few entries", small, StatusList2021},
		{"too many entries", bomb, StatusList2021},
		{"bitstring without u", good, BitstringStatusList},
		{"not base64", "H4sI!!!", StatusList2021},
		{"not gzip", base64.RawURLEncoding.EncodeToString([]byte("plain")), StatusList2021},
	} {
		if _, err := Decode(tt.enc, tt.kind); !errors.Is(err, ErrEncoding) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if _, err := Decode("u"+good, BitstringStatusList); err != nil {
		t.Fatal(err)
	}
	padded := base64.StdEncoding.EncodeToString(gz(t, MinEntries/8))
	if _, err := Decode(padded, StatusList2021); err != nil {
		t.Fatalf("padded standard base64: %v", err)
	}
}
