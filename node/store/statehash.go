package store

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"

	"github.com/ionode/ionode/sidetree"
)

// StateHasher computes [Store.StateHash]. Feed it every stored operation in (DID suffix, transaction
// number, operation index) order; each operation is hashed as its length-prefixed fields, so the hash
// depends on the contents of the log only, never on how a backend encodes it.
type StateHasher struct {
	h   hash.Hash
	buf []byte
}

// NewStateHasher returns an empty hasher.
func NewStateHasher() *StateHasher { return &StateHasher{h: sha256.New()} }

// Add hashes the next operation.
func (s *StateHasher) Add(op sidetree.AnchoredOperation) {
	b := s.buf[:0]
	b = binary.BigEndian.AppendUint32(b, uint32(len(op.DIDSuffix)))
	b = append(b, op.DIDSuffix...)
	b = binary.BigEndian.AppendUint64(b, op.TransactionNumber)
	b = binary.BigEndian.AppendUint32(b, op.OperationIndex)
	b = binary.BigEndian.AppendUint64(b, op.TransactionTime)
	b = binary.BigEndian.AppendUint32(b, uint32(len(op.Type)))
	b = append(b, op.Type...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(op.Raw)))
	s.buf = b
	s.h.Write(b)
	s.h.Write(op.Raw)
}

// Sum returns the hash of the operations added so far.
func (s *StateHasher) Sum() []byte { return s.h.Sum(nil) }
