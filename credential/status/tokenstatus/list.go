package tokenstatus

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"github.com/ionode/ionode/credential/status"
)

// Status values (draft-ietf-oauth-status-list Section 7.1).
const (
	Valid     byte = 0x00
	Invalid   byte = 0x01 // revoked
	Suspended byte = 0x02
)

// MaxBytes bounds a decompressed list (2 MiB, as the W3C lists): a zlib bomb stops there.
const MaxBytes = status.MaxEntries / 8

// ErrEncoding is returned for a status_list that does not decode.
var ErrEncoding = errors.New("invalid status list")

// List is a status list: entry i holds a value of Bits bits, entries packed from the least significant
// bit of the first byte (Section 4.1; the reverse of the W3C lists' bit order).
type List struct {
	Bits int
	Data []byte
}

// NewList makes a list of n entries of bits bits each (1, 2, 4 or 8), all Valid.
func NewList(n, bits int) (*List, error) {
	if !validBits(bits) || n < 0 {
		return nil, fmt.Errorf("%w: %d bits", ErrEncoding, bits)
	}
	return &List{Bits: bits, Data: make([]byte, (n*bits+7)/8)}, nil
}

func validBits(b int) bool { return b == 1 || b == 2 || b == 4 || b == 8 }

// Len is the number of entries.
func (l *List) Len() int { return len(l.Data) * 8 / l.Bits }

// Get returns the value of entry i.
func (l *List) Get(i int) (byte, error) {
	if i < 0 || i >= l.Len() {
		return 0, fmt.Errorf("index %d outside a list of %d entries", i, l.Len())
	}
	bit := i * l.Bits
	return (l.Data[bit/8] >> (bit % 8)) & byte(1<<l.Bits-1), nil
}

// Set sets entry i to v.
func (l *List) Set(i int, v byte) error {
	if i < 0 || i >= l.Len() {
		return fmt.Errorf("index %d outside a list of %d entries", i, l.Len())
	}
	mask := byte(1<<l.Bits - 1)
	if v > mask {
		return fmt.Errorf("value %d does not fit %d bits", v, l.Bits)
	}
	bit := i * l.Bits
	l.Data[bit/8] = l.Data[bit/8]&^(mask<<(bit%8)) | v<<(bit%8)
	return nil
}

// FromBitstring renders the node's stored list (one bit per index, set meaning revoked or suspended
// by the list's purpose) as a token list: value for every set bit, in the smallest width that holds it.
func FromBitstring(b status.Bitstring, value byte) (*List, error) {
	bits := 1
	for value >= 1<<bits {
		bits *= 2
	}
	l, err := NewList(b.Len(), bits)
	if err != nil {
		return nil, err
	}
	for i := range b.Len() {
		if set, _ := b.Get(i); set {
			_ = l.Set(i, value)
		}
	}
	return l, nil
}

// Encode returns lst: base64url (no padding) of the ZLIB-compressed list.
func (l *List) Encode() (string, error) {
	var buf bytes.Buffer
	zw, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := zw.Write(l.Data); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// Decode reads a status_list's bits and lst, bounded by MaxBytes.
func Decode(bits int, lst string) (*List, error) {
	if !validBits(bits) {
		return nil, fmt.Errorf("%w: bits %d is not 1, 2, 4 or 8", ErrEncoding, bits)
	}
	if len(lst) > 4*MaxBytes/3+4 {
		return nil, fmt.Errorf("%w: lst of %d characters", ErrEncoding, len(lst))
	}
	raw, err := base64.RawURLEncoding.DecodeString(lst)
	if err != nil {
		return nil, fmt.Errorf("%w: lst is not base64url: %v", ErrEncoding, err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: lst is not ZLIB: %v", ErrEncoding, err)
	}
	data, err := io.ReadAll(io.LimitReader(zr, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEncoding, err)
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrEncoding, MaxBytes)
	}
	return &List{Bits: bits, Data: data}, nil
}
