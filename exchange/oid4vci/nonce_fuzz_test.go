package oid4vci

import (
	"bytes"
	"testing"
	"time"
)

// FuzzOpenNonce: any text a proof carries as its nonce opens or fails without panicking, and only a
// nonce sealed under the key opens.
func FuzzOpenNonce(f *testing.F) {
	key := bytes.Repeat([]byte{7}, nonceKeyBytes)
	f.Add(sealNonce(key, time.Unix(1_800_000_000, 0)))
	f.Add("")
	f.Add("AQAAAABn0cqAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, n string) {
		exp, err := openNonce(key, n)
		if err != nil {
			return
		}
		if exp.Unix() < 0 {
			t.Fatalf("%q opened with expiry %v", n, exp)
		}
		if _, err := openNonce(bytes.Repeat([]byte{8}, nonceKeyBytes), n); err == nil {
			t.Fatalf("%q opened under two keys", n)
		}
	})
}
