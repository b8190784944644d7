package tokenstatus

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/ionode/ionode/credential/status"
)

func TestSpecVectors(t *testing.T) {
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Vectors []struct {
			Bits  int    `json:"bits"`
			Lst   string `json:"lst"`
			Bytes string `json:"bytes"`
			Raw   []int  `json:"statuses"`
		} `json:"vectors"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	for _, v := range f.Vectors {
		l, err := Decode(v.Bits, v.Lst)
		if err != nil {
			t.Fatal(err)
		}
		if hex.EncodeToString(l.Data) != v.Bytes {
			t.Errorf("%d bits: bytes %x, want %s", v.Bits, l.Data, v.Bytes)
		}
		built, _ := NewList(len(v.Raw), v.Bits)
		for i, want := range v.Raw {
			if got, err := l.Get(i); err != nil || int(got) != want {
				t.Errorf("%d bits: entry %d = %d, want %d", v.Bits, i, got, want)
			}
			if err := built.Set(i, byte(want)); err != nil {
				t.Fatal(err)
			}
		}
		if hex.EncodeToString(built.Data) != v.Bytes {
			t.Errorf("%d bits: built %x", v.Bits, built.Data)
		}
		enc, err := built.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if back, err := Decode(v.Bits, enc); err != nil || hex.EncodeToString(back.Data) != v.Bytes {
			t.Errorf("round trip: %v", err)
		}
	}
}

func TestFromBitstring(t *testing.T) {
	b := status.NewBitstring(0)
	for _, i := range []int{0, 9, status.MinEntries - 1} {
		_ = b.Set(i, true)
	}
	for _, tt := range []struct {
		value byte
		bits  int
	}{{Invalid, 1}, {Suspended, 2}} {
		l, err := FromBitstring(b, tt.value)
		if err != nil {
			t.Fatal(err)
		}
		if l.Bits != tt.bits || l.Len() != status.MinEntries {
			t.Fatalf("bits %d len %d", l.Bits, l.Len())
		}
		for i := range l.Len() {
			v, _ := l.Get(i)
			set, _ := b.Get(i)
			if (v == tt.value) != set || (v != 0 && v != tt.value) {
				t.Fatalf("entry %d = %d, set %v", i, v, set)
			}
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	big, _ := NewList(8*(MaxBytes+1), 1)
	bomb, _ := big.Encode()
	for name, tt := range map[string]struct {
		bits int
		lst  string
	}{
		"3 bits":         {3, "eNrbuRgAAhcBXQ"},
		"not base64url":  {1, "eNrb+RgA"},
		"not zlib":       {1, "AAAA"},
		"over the bound": {1, bomb},
	} {
		if _, err := Decode(tt.bits, tt.lst); !errors.Is(err, ErrEncoding) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
