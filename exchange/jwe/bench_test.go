package jwe

import (
	"strings"
	"testing"
)

// BenchmarkDecrypt decrypts a direct_post.jwt response of about 2 KiB (one VP-JWT around one VC-JWT):
// the cost direct_post.jwt adds to an exchange (one P-256 ECDH and AES-GCM).
func BenchmarkDecrypt(b *testing.B) {
	k := newKey(b)
	jwe := encrypt(b, k.Public(), A128GCM, `{"vp_token":{"credential_0":["`+strings.Repeat("a", 2<<10)+`"]},"state":"s"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Decrypt(jwe, nil); err != nil {
			b.Fatal(err)
		}
	}
}
