package main

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"

	"github.com/ionode/ionode/bench/internal/gen"
	"github.com/ionode/ionode/sidetree"
)

// cryptoLimit is the time one core needs per create and per update: parse, validate and apply, the
// work of sidetree's BenchmarkApplyCreate and BenchmarkApplyUpdate (the update's ES256K check
// included), measured here on the same machine and at the same time as the sync.
type cryptoLimit struct {
	Create, Update time.Duration
	// Verify is one bare ES256K signature check (decred secp256k1, as sidetree uses; hash and key ready):
	// the limit of a chain whose every operation carries a signature.
	Verify time.Duration
}

func measureLimit() (cryptoLimit, error) {
	p := sidetree.Regtest().Latest()
	keys, err := gen.NewKeys(nil)
	if err != nil {
		return cryptoLimit{}, err
	}
	creates, err := gen.Creates(keys, 0, 1, p)
	if err != nil {
		return cryptoLimit{}, err
	}
	updates, err := gen.Updates(keys, []string{creates[0].Suffix}, p)
	if err != nil {
		return cryptoLimit{}, err
	}
	state := sidetree.Apply(sidetree.AnchoredOperation{Type: sidetree.OpCreate, Raw: creates[0].Request, TransactionNumber: 1}, nil)
	if state == nil {
		return cryptoLimit{}, fmt.Errorf("generated create does not apply")
	}
	var failed error
	apply := func(raw []byte, prev *sidetree.State, t sidetree.OperationType) func(b *testing.B) {
		return func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				op, err := sidetree.ParseOperation(raw)
				if err != nil || op.Type != t || sidetree.ApplyParsed(op, 2, prev) == nil {
					failed = fmt.Errorf("%s does not apply: %v", t, err)
					b.FailNow()
				}
			}
		}
	}
	c := testing.Benchmark(apply(creates[0].Request, nil, sidetree.OpCreate))
	u := testing.Benchmark(apply(updates[0], state, sidetree.OpUpdate))
	key, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		return cryptoLimit{}, err
	}
	hash := sha256.Sum256(updates[0])
	sig := ecdsa.Sign(key, hash[:])
	pub := key.PubKey()
	v := testing.Benchmark(func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if !sig.Verify(hash[:], pub) {
				failed = fmt.Errorf("ES256K signature does not verify")
				b.FailNow()
			}
		}
	})
	if failed != nil {
		return cryptoLimit{}, failed
	}
	return cryptoLimit{Create: time.Duration(c.NsPerOp()), Update: time.Duration(u.NsPerOp()), Verify: time.Duration(v.NsPerOp())}, nil
}

// rate is the operations per second one core can process for a mix of creates and updates.
func (l cryptoLimit) rate(creates, updates int) float64 {
	total := time.Duration(creates)*l.Create + time.Duration(updates)*l.Update
	if total <= 0 {
		return 0
	}
	return float64(creates+updates) / total.Seconds()
}
