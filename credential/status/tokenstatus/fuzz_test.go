package tokenstatus

import (
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/internal/worktest"
)

// FuzzParseToken feeds arbitrary tokens to the status list token parser: it must fail with
// status_unavailable or return a list within bounds.
func FuzzParseToken(f *testing.F) {
	f.Add("eyJhbGciOiJFUzI1NiIsInR5cCI6InN0YXR1c2xpc3Qrand0In0.eyJzdWIiOiJodHRwczovL2V4YW1wbGUuY29tL3N0YXR1c2xpc3RzLzEiLCJpYXQiOjE2ODY5MjAxNzAsImV4cCI6MjI5MTcyMDE3MCwidHRsIjo0MzIwMCwic3RhdHVzX2xpc3QiOnsiYml0cyI6MSwibHN0IjoiZU5yYnVSZ0FBaGNCWFEifX0.AAAA")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := ParseToken(raw)
		if err != nil {
			if credential.CodeOf(err) != credential.CodeStatusUnavailable {
				t.Fatalf("error %v", err)
			}
			return
		}
		if tok.Sub == "" || tok.List == nil || len(tok.List.Data) > MaxBytes || !validBits(tok.List.Bits) {
			t.Fatalf("accepted %+v", tok)
		}
	})
}

// FuzzDecode feeds arbitrary lists to the decoder.
func FuzzDecode(f *testing.F) {
	f.Add(1, "eNrbuRgAAhcBXQ")
	f.Add(2, "eNo76fITAAPfAgc")
	f.Fuzz(func(t *testing.T, bits int, lst string) {
		l, err := Decode(bits, lst)
		if err != nil {
			return
		}
		enc, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(bits, enc)
		if err != nil || string(back.Data) != string(l.Data) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// TestDecodeLinear: decoding a list twice as long allocates at most about twice the bytes.
func TestDecodeLinear(t *testing.T) {
	bytesFor := func(n int) uint64 {
		l, _ := NewList(n, 2)
		for i := 0; i < n; i += 7 {
			_ = l.Set(i, byte(i%3))
		}
		lst, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		return worktest.Measure(5, func() {
			if _, err := Decode(2, lst); err != nil {
				t.Fatal(err)
			}
		}).Bytes
	}
	for _, n := range []int{1 << 17, 1 << 19} {
		a, b := bytesFor(n), bytesFor(2*n)
		t.Logf("n=%d: %d bytes, 2n: %d bytes", n, a, b)
		if b > 3*a {
			t.Errorf("decoding %d entries allocated %d bytes, %d entries %d", n, a, 2*n, b)
		}
	}
}
