package sidetree

import (
	"crypto/sha256"

	"github.com/multiformats/go-multihash"
)

// SHA256Code is the multihash code of SHA-256, the only hash ION accepts.
const SHA256Code = multihash.SHA2_256

// HashMultihash returns the SHA-256 multihash of data.
func HashMultihash(data []byte) []byte {
	sum := sha256.Sum256(data)
	mh, _ := multihash.Encode(sum[:], SHA256Code) // cannot fail for a known code and a 32-byte digest
	return mh
}

// HashThenEncode returns base64url(multihash(SHA-256(data))).
func HashThenEncode(data []byte) string {
	var out [encodedSHA256MultihashLen]byte
	encodeSHA256Multihash(&out, data)
	return string(out[:])
}

// DecodedMultihash is a multihash split into its parts.
type DecodedMultihash struct {
	Code   uint64
	Digest []byte
}

// DecodeMultihash decodes a multihash as the reference's `multihashes` package (0.4) does. go-multihash
// is stricter (it rejects non-minimal varints), and an operation the reference accepts must be accepted
// here, or a whole batch could be judged differently; so the decoding is ours.
func DecodeMultihash(buf []byte) (DecodedMultihash, error) {
	if len(buf) < 2 {
		return DecodedMultihash{}, newError(CodeMultihashStringNotAMultihash, "multihash shorter than 2 bytes")
	}
	code, n, ok := readJSVarint(buf)
	if !ok {
		return DecodedMultihash{}, newError(CodeMultihashStringNotAMultihash, "multihash code is not a varint")
	}
	if !knownMultihashCode(code) {
		return DecodedMultihash{}, newError(CodeMultihashStringNotAMultihash, "unknown multihash function code 0x%x", code)
	}
	rest := buf[n:]
	length, n, ok := readJSVarint(rest)
	if !ok {
		return DecodedMultihash{}, newError(CodeMultihashStringNotAMultihash, "multihash length is not a varint")
	}
	if length < 1 {
		return DecodedMultihash{}, newError(CodeMultihashStringNotAMultihash, "multihash length is zero")
	}
	digest := rest[n:]
	if uint64(len(digest)) != length {
		return DecodedMultihash{}, newError(CodeMultihashStringNotAMultihash, "multihash length %d does not match its %d digest bytes", length, len(digest))
	}
	return DecodedMultihash{Code: code, Digest: digest}, nil
}

// readJSVarint reads an unsigned LEB128 varint as the npm `varint` package does: non-minimal encodings
// are accepted, at most 8 bytes are read.
func readJSVarint(buf []byte) (value uint64, n int, ok bool) {
	var shift uint
	for {
		if n >= len(buf) || shift > 49 {
			return 0, 0, false
		}
		b := buf[n]
		n++
		value |= uint64(b&0x7f) << shift
		shift += 7
		if b < 0x80 {
			return value, n, true
		}
	}
}

// knownMultihashCode reports whether the reference's multihash table knows code; a known code other than
// SHA-256 is "not supported", an unknown one is "not a multihash".
func knownMultihashCode(code uint64) bool {
	switch {
	case code <= 0x0f: // application-specific codes
		return true
	case code >= 0x11 && code <= 0x1d, code == 0x22, code == 0x23, code == 0x56:
		return true
	case code >= 0xb201 && code <= 0xb260, code >= 0xb301 && code <= 0xb3e0:
		return true
	}
	return false
}

// ValidateEncodedMultihash checks that s is a base64url SHA-256 multihash (InputValidator.validateEncodedMultihash).
func ValidateEncodedMultihash(v Value, what string) error {
	s, ok := v.Str()
	if !ok {
		return jsError(CodeEncodedMultihashMustBeAString, "The "+what+" must be a string but is of "+jsTypeof(v)+" type.")
	}
	return validateMultihashString(s, what)
}

func validateMultihashString(s, what string) error {
	if isEncodedSHA256Multihash(s) {
		return nil
	}
	return validateMultihashDecoded(s, what)
}

// validateMultihashDecoded is validateMultihashString's general path: decode, then check the multihash.
func validateMultihashDecoded(s, what string) error {
	buf, err := DecodeBase64URL(s)
	if err != nil {
		return err
	}
	mh, err := DecodeMultihash(buf)
	if err != nil {
		return jsError(CodeMultihashStringNotAMultihash, "Given "+what+" string '"+s+"' is not a multihash.")
	}
	if mh.Code != SHA256Code {
		return newError(CodeMultihashNotSupported, "Given %s uses unsupported multihash algorithm with code %d.", what, mh.Code)
	}
	return nil
}

// VerifyEncodedMultihash reports whether encoded is the multihash of content. Like the reference, it
// compares encodings, so a non-canonical base64url spelling of the right hash does not verify. (The
// reference first checks that encoded decodes to a SHA-256 multihash; an encoding equal to ours always
// does, so the comparison alone gives the same answer.)
func VerifyEncodedMultihash(content []byte, encoded string) bool {
	var out [encodedSHA256MultihashLen]byte
	encodeSHA256Multihash(&out, content)
	return string(out[:]) == encoded
}

// VerifyDoubleHash reports whether encoded is the commitment for content: multihash(SHA-256(SHA-256(content))).
// The reference compares bytes here, not strings.
func VerifyDoubleHash(content []byte, encoded string) bool {
	buf, err := DecodeBase64URL(encoded)
	if err != nil {
		return false
	}
	mh, err := DecodeMultihash(buf)
	if err != nil || mh.Code != SHA256Code {
		return false
	}
	inner := sha256.Sum256(content)
	return string(HashMultihash(inner[:])) == string(buf)
}
