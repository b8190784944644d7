package sidetree

import (
	"encoding/base64"
	"strings"
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
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// DecodeBase64URL decodes a base64url string the way the reference does: the characters must be
// base64url, and, like Node's decoder, trailing bits that do not make a whole byte are dropped rather than
// rejected. Callers that compare encodings compare strings, as the reference does.
func DecodeBase64URL(s string) ([]byte, error) {
	// The decoder itself refuses every byte outside the alphabet but '\r' and '\n', which it skips: those
	// two are looked for instead of checking every byte twice (a batch decodes megabytes of payloads).
	if s == "" || strings.IndexByte(s, '\n') >= 0 || strings.IndexByte(s, '\r') >= 0 {
		return nil, notBase64URL(s)
	}
	trimmed := s
	if len(s)%4 == 1 {
		// Node decodes the lone last character to nothing, but it must still be base64url.
		if !IsBase64URL(s[len(s)-1:]) {
			return nil, notBase64URL(s)
		}
		trimmed = s[:len(s)-1]
	}
	// Non-strict decoding ignores non-zero trailing bits, as Node does.
	out, err := base64.RawURLEncoding.DecodeString(trimmed)
	if err != nil {
		return nil, notBase64URL(s)
	}
	return out, nil
}

// notBase64URL is the reference Encoder's rejection of a string with a non-base64url character.
func notBase64URL(s string) error {
	return jsError(CodeEncoderValidateBase64UrlStringInputNotBase64UrlString, "Input '"+jsonText(String(s))+"' not a Base64URL string.")
}
