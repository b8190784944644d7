package node

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"github.com/ionode/ionode/cas"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// mapCAS answers as a CAS does: the cas package's sentinel errors.
type mapCAS map[string][]byte

func (m mapCAS) Get(_ context.Context, cid string, max int64) ([]byte, error) {
	data, ok := m[cid]
	if !ok {
		return nil, fmt.Errorf("%s: %w", cid, cas.ErrNotFound)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: %w", cid, cas.ErrTooLarge)
	}
	return data, nil
}

func TestFileProcessor(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	var requests [][]byte
	for range 3 {
		req, err := sidetree.NewCreateRequest("ion", testKey(t, rand.Reader), testKey(t, rand.Reader), sidetree.Document{}, p)
		if err != nil {
			t.Fatal(err)
		}
		requests = append(requests, req.Body.Stringify())
	}
	files := mapCAS{}
	var chunk string
	anchor, written, err := batch.Build(requests, "", p, func(data []byte) (string, error) {
		sum := sha256.Sum256(data)
		uri := "Qm" + hex.EncodeToString(sum[:20])
		files[uri] = data
		return uri, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range written {
		if w.Kind == "chunk" {
			chunk = w.URI
		}
	}
	proc := &FileProcessor{Network: sidetree.Mainnet(), CAS: files}
	tx := Transaction{Number: 700_000_000_001, Time: 700_000, AnchorString: anchor, FeePaid: 1000, NormalizedFee: 1000, Writer: "w"}

	ops, err := proc.Operations(context.Background(), tx)
	if err != nil || len(ops) != 3 {
		t.Fatalf("valid batch: %d operations, %v", len(ops), err)
	}
	low := tx
	low.FeePaid = 999
	if _, err := proc.Operations(context.Background(), low); sidetree.CodeOf(err) != sidetree.CodeTransactionFeePaidLessThanNormalizedFee {
		t.Errorf("low fee: %v", err)
	}
	bad := tx
	bad.AnchorString = "03." + anchor[2:]
	if _, err := proc.Operations(context.Background(), bad); sidetree.CodeOf(err) != sidetree.CodeAnchoredDataNumberOfOperationsNotPositiveInteger {
		t.Errorf("bad anchor: %v", err)
	}
	// A missing chunk file: core operations now, and a retry later.
	saved := files[chunk]
	delete(files, chunk)
	ops, err = proc.Operations(context.Background(), tx)
	if !errors.Is(err, ErrFilesUnavailable) || len(ops) != 3 {
		t.Errorf("missing chunk: %d operations, %v", len(ops), err)
	}
	// An oversize chunk file is invalid for good: core operations, no retry.
	files[chunk] = make([]byte, p.MaxChunkFileSizeInBytes+1)
	ops, err = proc.Operations(context.Background(), tx)
	if err == nil || errors.Is(err, ErrFilesUnavailable) || len(ops) != 3 {
		t.Errorf("oversize chunk: %d operations, %v", len(ops), err)
	}
	files[chunk] = saved
}
