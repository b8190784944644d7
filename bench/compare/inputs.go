package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ionode/ionode/bench/internal/gen"
	"github.com/ionode/ionode/interop"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// anchoredOp is an operation as both sides read it from history.json and many.json.
type anchoredOp struct {
	Type              sidetree.OperationType `json:"type"`
	Raw               []byte                 `json:"raw"` // base64 in JSON, as Node's Buffer.from(s, 'base64') reads it
	TransactionNumber uint64                 `json:"transactionNumber"`
	TransactionTime   uint64                 `json:"transactionTime"`
	OperationIndex    uint32                 `json:"operationIndex"`
}

// didOps is one DID's suffix and its anchored operations in store order.
type didOps struct {
	Suffix string       `json:"suffix"`
	Ops    []anchoredOp `json:"ops"`
}

// batchMeta is what batch.json says of the batch in files/.
type batchMeta struct {
	AnchorString      string `json:"anchorString"`
	WriterLockID      string `json:"writerLockId"`
	TransactionNumber uint64 `json:"transactionNumber"`
	TransactionTime   uint64 `json:"transactionTime"`
	Operations        int    `json:"operations"`
}

const writerLockID = "compare-lock"

// writeInputs writes every task's inputs into dir.
func writeInputs(ctx context.Context, dir string, s sizes) error {
	p := sidetree.Mainnet().Latest()
	if err := writeLongForm(ctx, dir, s.longForm); err != nil {
		return err
	}
	k, err := gen.NewKeys(nil)
	if err != nil {
		return err
	}
	chain := []sidetree.JWK{k.Update}
	for len(chain) <= max(s.historyLength, s.manyUpdates) {
		key, err := sidetree.GenerateES256K(rand.Reader)
		if err != nil {
			return err
		}
		chain = append(chain, key)
	}
	history, err := histories(k, chain[:s.historyLength+1], 1_000_000, 1, p)
	if err != nil {
		return err
	}
	// The same DID several times: neither side caches a state, so each is a resolution from scratch.
	for len(history) < s.historyRepeat {
		history = append(history, history[0])
	}
	if err := writeJSON(filepath.Join(dir, "history.json"), history); err != nil {
		return err
	}
	many, err := histories(k, chain[:s.manyUpdates+1], 2_000_000, s.manyDIDs, p)
	if err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(dir, "many.json"), many); err != nil {
		return err
	}
	return writeBatch(dir, k, s.batchOps, p)
}

// writeLongForm has ion-sdk make n DIDs, as a wallet would, through interop's reference process.
func writeLongForm(ctx context.Context, dir string, n int) error {
	ref, err := interop.Start(ctx)
	if err != nil {
		return err
	}
	defer ref.Close()
	var made []struct {
		DID string `json:"did"`
	}
	if err := ref.Call("sdkCreate", map[string]any{"count": n}, &made); err != nil {
		return err
	}
	dids := make([]string, len(made))
	for i, m := range made {
		dids[i] = m.DID
	}
	return writeJSON(filepath.Join(dir, "longform.json"), dids)
}

// histories makes n DIDs numbered from first, each a create and the updates along chain, one operation
// per transaction.
func histories(k gen.Keys, chain []sidetree.JWK, first, n int, p sidetree.Parameters) ([]didOps, error) {
	creates, err := gen.Creates(k, first, n, p)
	if err != nil {
		return nil, err
	}
	out := make([]didOps, n)
	for i, c := range creates {
		updates, err := gen.UpdateChain(c.Suffix, chain, p)
		if err != nil {
			return nil, err
		}
		ops := []anchoredOp{{Type: sidetree.OpCreate, Raw: c.Request, TransactionNumber: 1, TransactionTime: 1}}
		for j, u := range updates {
			txn := uint64(2 + j)
			ops = append(ops, anchoredOp{Type: sidetree.OpUpdate, Raw: u, TransactionNumber: txn, TransactionTime: txn})
		}
		out[i] = didOps{Suffix: c.Suffix, Ops: ops}
	}
	return out, nil
}

// writeBatch builds a batch of n operations, half creates and half updates of other DIDs, as ION's batch
// writer would, into dir/files (named by a hash of their bytes) and dir/batch.json.
func writeBatch(dir string, k gen.Keys, n int, p sidetree.Parameters) error {
	creates, err := gen.Creates(k, 3_000_000, n/2, p)
	if err != nil {
		return err
	}
	others, err := gen.Creates(k, 4_000_000, n-n/2, p)
	if err != nil {
		return err
	}
	suffixes := make([]string, len(others))
	for i, c := range others {
		suffixes[i] = c.Suffix
	}
	updates, err := gen.Updates(k, suffixes, p)
	if err != nil {
		return err
	}
	requests := make([][]byte, 0, n)
	for _, c := range creates {
		requests = append(requests, c.Request)
	}
	requests = append(requests, updates...)
	files := filepath.Join(dir, "files")
	// A -dir used before holds another batch's files, which the limits task would read as this one's.
	if err := os.RemoveAll(files); err != nil {
		return err
	}
	if err := os.MkdirAll(files, 0o755); err != nil {
		return err
	}
	put := func(data []byte) (string, error) {
		sum := sha256.Sum256(data)
		uri := "Qm" + hex.EncodeToString(sum[:22])
		return uri, os.WriteFile(filepath.Join(files, uri), data, 0o644)
	}
	anchor, _, err := batch.Build(requests, writerLockID, p, put)
	if err != nil {
		return err
	}
	return writeJSON(filepath.Join(dir, "batch.json"), batchMeta{
		AnchorString: anchor, WriterLockID: writerLockID, TransactionNumber: 700_000_000_000, TransactionTime: 700_000, Operations: n,
	})
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
