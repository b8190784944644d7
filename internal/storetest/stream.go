package storetest

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/rand/v2"

	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

// Stream is a deterministic stream of anchor transactions with operations of realistic size, for crash
// tests and benchmarks: the same parameters always give the same transactions.
type Stream struct {
	Seed         uint64
	Transactions int
	DIDs         int // size of the suffix pool: suffixes recur across transactions
	MinOps       int // operations per transaction, uniformly in [MinOps, MaxOps]
	MaxOps       int
	MinSize      int // raw operation size in bytes, uniformly in [MinSize, MaxSize]
	MaxSize      int
}

// Suffix returns the i-th suffix of the pool, shaped like a real one (46 base64url characters).
func Suffix(i int) string {
	var b [34]byte
	b[0], b[1] = 0x12, 0x20
	binary.BigEndian.PutUint64(b[2:], uint64(i)*0x9e3779b97f4a7c15)
	binary.BigEndian.PutUint64(b[10:], uint64(i))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Transaction returns the i-th transaction (numbered as block 700,000+i, index 0) and its operations.
func (s Stream) Transaction(i int) (node.Transaction, []sidetree.AnchoredOperation) {
	r := rand.New(rand.NewPCG(s.Seed, uint64(i)))
	height := uint64(700_000 + i)
	tx := node.Transaction{
		Number:        height * 1_000_000,
		Time:          height,
		TimeHash:      fmt.Sprintf("%064x", r.Uint64()),
		NormalizedFee: 1000,
		FeePaid:       5000,
		Writer:        "stream",
	}
	n := s.MinOps + r.IntN(s.MaxOps-s.MinOps+1)
	tx.AnchorString = fmt.Sprintf("%d.Qm%044x", n, r.Uint64())
	ops := make([]sidetree.AnchoredOperation, n)
	types := []sidetree.OperationType{sidetree.OpCreate, sidetree.OpUpdate, sidetree.OpRecover, sidetree.OpDeactivate}
	used := map[int]bool{} // one operation per DID per transaction, as ION requires
	for j := range ops {
		d := r.IntN(s.DIDs)
		for used[d] {
			d = (d + 1) % s.DIDs
		}
		used[d] = true
		size := s.MinSize + r.IntN(s.MaxSize-s.MinSize+1)
		raw := make([]byte, size)
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		for k := 0; k < len(raw); k += 10 {
			v := r.Uint64()
			for m := k; m < min(k+10, len(raw)); m++ {
				raw[m] = alphabet[v&63]
				v >>= 6
			}
		}
		copy(raw, `{"type":"update","delta":"`)
		ops[j] = sidetree.AnchoredOperation{
			Type:              types[r.IntN(len(types))],
			DIDSuffix:         Suffix(d),
			Raw:               raw,
			TransactionNumber: tx.Number,
			TransactionTime:   height,
			OperationIndex:    uint32(j),
		}
	}
	return tx, ops
}

// Operations returns the operations of transactions [0, n).
func (s Stream) Operations(n int) []sidetree.AnchoredOperation {
	var all []sidetree.AnchoredOperation
	for i := 0; i < n; i++ {
		_, ops := s.Transaction(i)
		all = append(all, ops...)
	}
	return all
}

// Cursor encodes "the next transaction to ingest is i" as the watcher cursor.
func Cursor(i int) []byte { return binary.BigEndian.AppendUint64(nil, uint64(i)) }

// ParseCursor decodes Cursor; an absent cursor means 0.
func ParseCursor(c []byte) (int, error) {
	if c == nil {
		return 0, nil
	}
	if len(c) != 8 {
		return 0, fmt.Errorf("bad stream cursor %x", c)
	}
	return int(binary.BigEndian.Uint64(c)), nil
}

// Ingest writes the stream into st from the position its cursor records (resuming after a crash), each
// transaction with its operations and the cursor after it. progress, if not nil, is called after each
// transaction is stored.
func Ingest(ctx context.Context, st store.Store, s Stream, progress func(next int)) error {
	c, err := st.Cursor(ctx)
	if err != nil {
		return err
	}
	from, err := ParseCursor(c)
	if err != nil {
		return err
	}
	for i := from; i < s.Transactions; i++ {
		tx, ops := s.Transaction(i)
		if err := st.PutProcessed(ctx, tx, ops, Cursor(i+1)); err != nil {
			return fmt.Errorf("ingest transaction %d: %w", i, err)
		}
		if progress != nil {
			progress(i + 1)
		}
	}
	return nil
}
