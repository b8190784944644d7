package sidetree

import (
	"fmt"
	"strconv"
)

// EncodeState serializes a state for a cache. The document keeps its JavaScript property order, so a
// cached state composes the same resolution result byte for byte.
func EncodeState(s *State) []byte {
	o := Object(
		Member{"document", s.Document},
		Member{"recoveryCommitment", String(s.NextRecoveryCommitment)},
		Member{"updateCommitment", String(s.NextUpdateCommitment)},
		// A string: a transaction number can exceed 2^53, which a JSON number cannot carry exactly.
		Member{"lastTransaction", String(strconv.FormatUint(s.LastOperationTransaction, 10))},
	)
	return o.Stringify()
}

// DecodeState reverses EncodeState.
func DecodeState(data []byte) (*State, error) {
	v, err := ParseJSON(data)
	if err != nil {
		return nil, fmt.Errorf("decode cached DID state: %w", err)
	}
	rec, ok1 := v.Field("recoveryCommitment").Str()
	upd, ok2 := v.Field("updateCommitment").Str()
	txnStr, ok3 := v.Field("lastTransaction").Str()
	doc := v.Field("document")
	if !ok1 || !ok2 || !ok3 || doc.Kind() != KindObject {
		return nil, fmt.Errorf("decode cached DID state: missing fields")
	}
	txn, err := strconv.ParseUint(txnStr, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("decode cached DID state: %w", err)
	}
	return &State{Document: doc, NextRecoveryCommitment: rec, NextUpdateCommitment: upd, LastOperationTransaction: txn}, nil
}
