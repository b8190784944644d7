package sdjwt

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

var b64 = base64.RawURLEncoding

// HashAlg is the only _sd_alg this package issues and accepts (RFC 9901 Section 4.1.1: SHA-256 is the
// default every implementation supports; weaker or absent hashing would let a verifier forge
// Disclosures).
const HashAlg = "sha-256"

// Disclosure is one selectively disclosable claim: an object property (Name set) or an array element.
type Disclosure struct {
	Encoded string // base64url as it travels; its digest is over these characters
	Salt    string
	Name    string // "" for an array element
	Value   any
	IsArray bool // an array element Disclosure ([salt, value])
}

// Digest is the base64url SHA-256 of the encoded Disclosure.
func (d *Disclosure) Digest() string { return digest(d.Encoded) }

func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return b64.EncodeToString(h[:])
}

// reserved claim names a Disclosure may not carry (RFC 9901 Section 4.2.1).
func reservedName(name string) bool { return name == "_sd" || name == "..." }

// newSalt returns 128 random bits, base64url (RFC 9901 Section 9.3).
func newSalt() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return b64.EncodeToString(b[:])
}

// newDisclosure encodes a property (name != "") or array element Disclosure.
func newDisclosure(name string, value any, isArray bool) (*Disclosure, error) {
	salt := newSalt()
	arr := []any{salt, name, value}
	if isArray {
		arr = []any{salt, value}
	}
	raw, err := json.Marshal(arr)
	if err != nil {
		return nil, fmt.Errorf("disclosure: %w", err)
	}
	return &Disclosure{Encoded: b64.EncodeToString(raw), Salt: salt, Name: name, Value: value, IsArray: isArray}, nil
}

// decodeJSON decodes one JSON value, numbers kept exact, nothing after it.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}

// ParseDisclosure decodes a Disclosure. A failure is a *credential.Failure with CodeInvalidDisclosure;
// its detail never contains the Disclosure's content.
func ParseDisclosure(encoded string) (*Disclosure, error) {
	if len(encoded) > MaxLength {
		return nil, fail(CodeInvalidDisclosure, "disclosure longer than %d bytes", MaxLength)
	}
	raw, err := b64.DecodeString(encoded)
	if err != nil {
		return nil, fail(CodeInvalidDisclosure, "disclosure %s is not base64url", shortDigest(encoded))
	}
	var arr []any
	if err := decodeJSON(raw, &arr); err != nil {
		return nil, fail(CodeInvalidDisclosure, "disclosure %s is not a JSON array", shortDigest(encoded))
	}
	if err := checkDepth(arr, 1); err != nil {
		return nil, fail(CodeInvalidDisclosure, "disclosure %s: %v", shortDigest(encoded), err)
	}
	d := &Disclosure{Encoded: encoded}
	var ok bool
	switch len(arr) {
	case 2:
		d.IsArray = true
		d.Salt, ok = arr[0].(string)
		d.Value = arr[1]
	case 3:
		d.Salt, ok = arr[0].(string)
		name, nameOK := arr[1].(string)
		ok = ok && nameOK
		d.Name, d.Value = name, arr[2]
		if ok && reservedName(name) {
			return nil, fail(CodeInvalidDisclosure, "disclosure %s names the reserved claim %q", shortDigest(encoded), name)
		}
	default:
		return nil, fail(CodeInvalidDisclosure, "disclosure %s has %d elements, not 2 or 3", shortDigest(encoded), len(arr))
	}
	if !ok {
		return nil, fail(CodeInvalidDisclosure, "disclosure %s: salt and claim name must be strings", shortDigest(encoded))
	}
	return d, nil
}

// shortDigest names a Disclosure in errors and logs by the start of its digest, never by its content.
func shortDigest(encoded string) string { return digest(encoded)[:12] }
