package sidetree

import (
	"encoding/base64"
	"strings"
	"unsafe"
)

// EncodeBase64URL encodes data as base64url without padding, ION's encoding for every binary value.
func EncodeBase64URL(data []byte) string {
	return base64.RawURLEncoding.EncodeToString(data)
}

// IsBase64URL reports whether s is a non-empty string of base64url characters (ION's Encoder check).
func IsBase64URL(s string) bool {
	if s == "" {
		return false
	}
	// One table load per byte: a long-form DID's initial state is ~1 KB of base64url, and five range
	// tests per byte were a sixth of resolving one.
	for i := 0; i < len(s); i++ {
		if !base64URLByte[s[i]] {
			return false
		}
	}
	return true
}

// base64URLByte marks the bytes of base64URLAlphabet.
var base64URLByte = func() (t [256]bool) {
	for i := 0; i < len(base64URLAlphabet); i++ {
		t[base64URLAlphabet[i]] = true
	}
	return t
}()

// base64URLAlphabet lists the characters in the order of their 6-bit values.
const base64URLAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// DecodeBase64URL decodes a base64url string the way the reference does: the characters must be
// base64url, and, like Node's decoder, trailing bits that do not make a whole byte are dropped rather than
// rejected. Callers that compare encodings compare strings, as the reference does.
func DecodeBase64URL(s string) ([]byte, error) { return decodeBase64URL(s, 0) }

// decodeBase64URL is DecodeBase64URL with room for spare more bytes after the decoded ones, so that a
// caller that writes more next to them allocates once.
func decodeBase64URL(s string, spare int) ([]byte, error) {
	trimmed, err := trimBase64URL(s)
	if err != nil {
		return nil, err
	}
	n := base64.RawURLEncoding.DecodedLen(len(trimmed))
	return decodeTrimmedBase64URL(make([]byte, n, n+spare), s, trimmed)
}

// trimBase64URL drops the lone last character that Node decodes to nothing (it must still be base64url).
func trimBase64URL(s string) (string, error) {
	if s == "" {
		return "", notBase64URL(s)
	}
	if len(s)%4 == 1 {
		if !base64URLByte[s[len(s)-1]] {
			return "", notBase64URL(s)
		}
		return s[:len(s)-1], nil
	}
	return s, nil
}

// decodeTrimmedBase64URL decodes trimmed (s as trimBase64URL trimmed it) into out, which has room for
// its decoded length, and returns the decoded bytes.
func decodeTrimmedBase64URL(out []byte, s, trimmed string) ([]byte, error) {
	// The decoder rejects every byte outside the alphabet ('=' too, without padding) except '\r' and
	// '\n', which it skips: those two are looked for at memchr speed instead of checking every byte twice.
	// Non-strict decoding ignores non-zero trailing bits, as Node does. The decoder only reads its input,
	// so it reads the string's own bytes.
	n, err := base64.RawURLEncoding.Decode(out, unsafe.Slice(unsafe.StringData(trimmed), len(trimmed)))
	if err != nil || strings.IndexByte(trimmed, '\n') >= 0 || strings.IndexByte(trimmed, '\r') >= 0 {
		return nil, notBase64URL(s)
	}
	return out[:n], nil
}

// notBase64URL is the reference Encoder's rejection of a string with a non-base64url character.
func notBase64URL(s string) error {
	return jsError(CodeEncoderValidateBase64UrlStringInputNotBase64UrlString, "Input '"+jsonText(String(s))+"' not a Base64URL string.")
}
