package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"

	"github.com/ionode/ionode/bench/internal/gen"
	"github.com/ionode/ionode/sidetree"
)

// cryptoLimit is the CPU time one core needs per operation of each type: parse, validate and apply, the
// work of sidetree's BenchmarkApplyCreate and BenchmarkApplyUpdate (the ES256K check of updates,
// recovers and deactivates included). It is measured as the CPU time of the measuring thread, not wall time, so other processes
// on a shared machine do not inflate it.
type cryptoLimit struct {
	Create, Update, Recover, Deactivate time.Duration
	// Verify is one bare ES256K signature check (decred secp256k1, as sidetree uses; hash and key ready):
	// the limit of a chain whose every operation carries a signature.
	Verify time.Duration
	// Clock says how the times were measured.
	Clock string
}

// threadCPU is the calling thread's CPU time (/proc/thread-self/schedstat), false where unavailable.
func threadCPU() (time.Duration, bool) {
	b, err := os.ReadFile("/proc/thread-self/schedstat")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0, false
	}
	ns, err := strconv.ParseInt(f[0], 10, 64)
	return time.Duration(ns), err == nil
}

// perOp runs f until it has used at least budget of CPU and returns the time per call: CPU time of
// this (locked) thread where Linux gives it, wall time otherwise.
func perOp(f func() error, budget time.Duration) (time.Duration, bool, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for range 16 { // warm caches
		if err := f(); err != nil {
			return 0, false, err
		}
	}
	cpu0, onCPU := threadCPU()
	wall0 := time.Now()
	n := 0
	for {
		for range 32 {
			if err := f(); err != nil {
				return 0, false, err
			}
		}
		n += 32
		cpu, _ := threadCPU()
		used := time.Since(wall0)
		if onCPU {
			used = cpu - cpu0
		}
		if used >= budget {
			return used / time.Duration(n), onCPU, nil
		}
	}
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
	recovers, err := gen.Recovers(keys, []string{creates[0].Suffix}, 0, p)
	if err != nil {
		return cryptoLimit{}, err
	}
	deactivates, err := gen.Deactivates(keys, []string{creates[0].Suffix}, p)
	if err != nil {
		return cryptoLimit{}, err
	}
	state := sidetree.Apply(sidetree.AnchoredOperation{Type: sidetree.OpCreate, Raw: creates[0].Request, TransactionNumber: 1}, nil)
	if state == nil {
		return cryptoLimit{}, fmt.Errorf("generated create does not apply")
	}
	apply := func(raw []byte, prev *sidetree.State, t sidetree.OperationType) func() error {
		return func() error {
			op, err := sidetree.ParseOperation(raw)
			if err != nil || op.Type != t || sidetree.ApplyParsed(op, 2, prev) == nil {
				return fmt.Errorf("%s does not apply: %v", t, err)
			}
			return nil
		}
	}
	key, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		return cryptoLimit{}, err
	}
	hash := sha256.Sum256(updates[0])
	sig, pub := ecdsa.Sign(key, hash[:]), key.PubKey()
	verify := func() error {
		if !sig.Verify(hash[:], pub) {
			return fmt.Errorf("ES256K signature does not verify")
		}
		return nil
	}
	var l cryptoLimit
	var onCPU bool
	for _, m := range []struct {
		dst *time.Duration
		f   func() error
	}{{&l.Create, apply(creates[0].Request, nil, sidetree.OpCreate)}, {&l.Update, apply(updates[0], state, sidetree.OpUpdate)},
		{&l.Recover, apply(recovers[0], state, sidetree.OpRecover)}, {&l.Deactivate, apply(deactivates[0], state, sidetree.OpDeactivate)},
		{&l.Verify, verify}} {
		if *m.dst, onCPU, err = perOp(m.f, time.Second); err != nil {
			return l, err
		}
	}
	l.Clock = "wall time (no per-thread CPU clock here)"
	if onCPU {
		l.Clock = "thread CPU time"
	}
	return l, nil
}

// rate is the operations per second one core can process for a mix of operation types.
func (l cryptoLimit) rate(ops map[sidetree.OperationType]int) float64 {
	per := map[sidetree.OperationType]time.Duration{sidetree.OpCreate: l.Create, sidetree.OpUpdate: l.Update,
		sidetree.OpRecover: l.Recover, sidetree.OpDeactivate: l.Deactivate}
	var total time.Duration
	n := 0
	for t, c := range ops {
		total += time.Duration(c) * per[t]
		n += c
	}
	if total <= 0 {
		return 0
	}
	return float64(n) / total.Seconds()
}
