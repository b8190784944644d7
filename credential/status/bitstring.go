package status

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MinEntries is the smallest list size both specifications allow (16 KiB of bits), chosen so that a
// credential's index does not single out its holder.
const MinEntries = 131072

// MaxEntries bounds the lists we decode (2 MiB decompressed): a gzip bomb stops there.
const MaxEntries = 16 * 1024 * 1024

// Kind is a status list specification.
type Kind string

const (
	// StatusList2021 is the W3C CCG Status List 2021 (VC 1.1): encodedList is base64url of the GZIP.
	StatusList2021 Kind = "StatusList2021"
	// BitstringStatusList is W3C Bitstring Status List v1.0 (VC 2.0): encodedList is multibase base64url
	// ("u" prefix) of the GZIP.
	BitstringStatusList Kind = "BitstringStatusList"
	// TokenStatusList is the IETF Token Status List (draft-ietf-oauth-status-list) for SD-JWT VCs: the
	// node keeps it as a bitstring like the others, and a TokenSigner (credential/status/tokenstatus)
	// publishes it as a status list token.
	TokenStatusList Kind = "TokenStatusList"
)

// EntryType is the credentialStatus type of a kind's entries.
func (k Kind) EntryType() string { return string(k) + "Entry" }

// CredentialType is the type of a kind's list credential.
func (k Kind) CredentialType() string { return string(k) + "Credential" }

// KindOfEntry returns the kind of a credentialStatus type.
func KindOfEntry(entryType string) (Kind, bool) {
	switch entryType {
	case StatusList2021.EntryType():
		return StatusList2021, true
	case BitstringStatusList.EntryType():
		return BitstringStatusList, true
	}
	return "", false
}

// Bitstring is a status list: bit i is the status of index i, counted from the most significant bit of
// the first byte, as both specifications order it.
type Bitstring []byte

// NewBitstring makes a list of n entries (rounded up to whole bytes, at least MinEntries).
func NewBitstring(n int) Bitstring {
	return make(Bitstring, (max(n, MinEntries)+7)/8)
}

// Len is the number of entries.
func (b Bitstring) Len() int { return len(b) * 8 }

// Get returns bit i.
func (b Bitstring) Get(i int) (bool, error) {
	if i < 0 || i >= b.Len() {
		return false, fmt.Errorf("index %d outside a list of %d entries", i, b.Len())
	}
	return b[i/8]&(0x80>>(i%8)) != 0, nil
}

// Set sets or clears bit i.
func (b Bitstring) Set(i int, v bool) error {
	if i < 0 || i >= b.Len() {
		return fmt.Errorf("index %d outside a list of %d entries", i, b.Len())
	}
	if v {
		b[i/8] |= 0x80 >> (i % 8)
	} else {
		b[i/8] &^= 0x80 >> (i % 8)
	}
	return nil
}

// Encode writes the list as its kind's encodedList.
func (b Bitstring) Encode(kind Kind) (string, error) { return b.encode(kind, gzip.BestCompression) }

// encode is Encode at a gzip level: the published list is compressed best, the stored one (whose
// allocation bits are random, which best compression spends milliseconds on) fastest.
func (b Bitstring) encode(kind Kind, level int) (string, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		return "", err
	}
	if _, err := zw.Write(b); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	s := base64.RawURLEncoding.EncodeToString(buf.Bytes())
	if kind == BitstringStatusList {
		return "u" + s, nil
	}
	return s, nil
}

// ErrEncoding is returned for an encodedList that does not decode.
var ErrEncoding = errors.New("invalid encodedList")

// Decode reads an encodedList. For StatusList2021 it accepts base64url or base64, padded or not, as
// issuers write both; for BitstringStatusList the multibase "u" prefix is required.
func Decode(encoded string, kind Kind) (Bitstring, error) {
	if kind == BitstringStatusList {
		rest, ok := strings.CutPrefix(encoded, "u")
		if !ok {
			return nil, fmt.Errorf("%w: BitstringStatusList needs the multibase base64url prefix u", ErrEncoding)
		}
		encoded = rest
	}
	if len(encoded) > 4*MaxEntries/8 { // far more than any GZIP of a list within MaxEntries
		return nil, fmt.Errorf("%w: %d characters", ErrEncoding, len(encoded))
	}
	encoded = strings.TrimRight(encoded, "=")
	var raw []byte
	var err error
	if strings.ContainsAny(encoded, "+/") {
		raw, err = base64.RawStdEncoding.DecodeString(encoded)
	} else {
		raw, err = base64.RawURLEncoding.DecodeString(encoded)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEncoding, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEncoding, err)
	}
	bits, err := io.ReadAll(io.LimitReader(zr, MaxEntries/8+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEncoding, err)
	}
	if len(bits) > MaxEntries/8 {
		return nil, fmt.Errorf("%w: more than %d entries", ErrEncoding, MaxEntries)
	}
	if len(bits)*8 < MinEntries {
		return nil, fmt.Errorf("%w: %d entries, fewer than %d", ErrEncoding, len(bits)*8, MinEntries)
	}
	return Bitstring(bits), nil
}
