package oid4vp_test

import (
	"strings"
	"testing"

	"github.com/ionode/ionode/exchange/oid4vp"
)

// BenchmarkParseVPToken reads a vp_token the size of bench/exchange's: one query answered by one VP-JWT
// of about 2 KB around one VC-JWT.
func BenchmarkParseVPToken(b *testing.B) {
	vp := "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9." + strings.Repeat("eyJ2cCI6eyJ2ZXJpZmlhYmxlQ3JlZGVudGlhbCI6", 50) + ".c2lnbmF0dXJl"
	token := `{"credential_0":["` + vp + `"]}`
	b.SetBytes(int64(len(token)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := oid4vp.ParseVPToken(token); err != nil {
			b.Fatal(err)
		}
	}
}
