package sidetree

import (
	"crypto/sha256"
	"encoding/base64"
)

// encodedSHA256MultihashLen is the length of base64url(multihash(SHA-256(·))): 34 bytes, 46 characters.
const encodedSHA256MultihashLen = 46

// encodeSHA256Multihash writes base64url(multihash(SHA-256(data))) into out without allocating: every
// resolution computes and compares several of these.
func encodeSHA256Multihash(out *[encodedSHA256MultihashLen]byte, data []byte) {
	var mh [34]byte
	mh[0], mh[1] = byte(SHA256Code), sha256.Size // both varints are one byte
	sum := sha256.Sum256(data)
	copy(mh[2:], sum[:])
	base64.RawURLEncoding.Encode(out[:], mh[:])
}

// isEncodedSHA256Multihash reports, without decoding, whether s is a string the reference's
// validateEncodedMultihash certainly accepts: 46 base64url characters decode (leniently, the last
// character's four spare bits ignored) to 34 bytes, and "Ei" followed by A–D spells the bytes 0x12 0x20,
// SHA-256's code and a 32-byte length. Other strings take the general path.
func isEncodedSHA256Multihash(s string) bool {
	return len(s) == encodedSHA256MultihashLen && s[0] == 'E' && s[1] == 'i' && s[2] >= 'A' && s[2] <= 'D' && IsBase64URL(s)
}
