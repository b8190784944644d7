package node

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ionode/ionode/anchor/ionrules"
	"github.com/ionode/ionode/cas"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// mapCAS answers as a CAS does: the cas package's sentinel errors.
type mapCAS map[string][]byte

// put stores data under a CIDv0-looking name made from its hash (batch.Build's put).
func (m mapCAS) put(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	uri := "Qm" + hex.EncodeToString(sum[:20])
	m[uri] = data
	return uri, nil
}

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
	files, anchor, written := testBatch(t, 3, "")
	var chunk string
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

// lockAnswer is a LockResolver that gives one fixed answer.
type lockAnswer struct {
	lock *ionrules.ValueTimeLock
	err  error
}

func (l lockAnswer) ValueTimeLock(context.Context, string) (*ionrules.ValueTimeLock, error) {
	return l.lock, l.err
}

// The lock lookup's three outcomes: no lock (fine within the free 100 operations), a lookup the core
// does not accept (the transaction is discarded), the chain unavailable (retried).
func TestFileProcessorLockOutcomes(t *testing.T) {
	files, anchor, _ := testBatch(t, 2, "some-lock-id")
	tx := Transaction{Number: 700_000_000_001, Time: 700_000, AnchorString: anchor, FeePaid: 1000, NormalizedFee: 1000, Writer: "w"}
	tests := []struct {
		name      string
		answer    lockAnswer
		ops       int
		code      sidetree.Code
		retryable bool
	}{
		{"no lock", lockAnswer{}, 2, "", false},
		{"not accepted", lockAnswer{err: sidetree.Errorf(ionrules.CodeBlockchainGetLockResponseNotOk, "x")}, 0, ionrules.CodeBlockchainGetLockResponseNotOk, false},
		{"chain down", lockAnswer{err: errors.New("connection refused")}, 0, "", true},
	}
	for _, tc := range tests {
		proc := &FileProcessor{Network: sidetree.Mainnet(), CAS: files, Locks: tc.answer}
		ops, err := proc.Operations(context.Background(), tx)
		if len(ops) != tc.ops || sidetree.CodeOf(err) != tc.code || errors.Is(err, ErrFilesUnavailable) != tc.retryable {
			t.Errorf("%s: %d operations, %v", tc.name, len(ops), err)
		}
	}
}

// testBatch builds a batch of n creates naming writerLockID, with its files in a mapCAS.
func testBatch(t *testing.T, n int, writerLockID string) (mapCAS, string, []batch.Written) {
	t.Helper()
	p := sidetree.Mainnet().Latest()
	var requests [][]byte
	for range n {
		req, err := sidetree.NewCreateRequest("ion", testKey(t, rand.Reader), testKey(t, rand.Reader), sidetree.Document{}, p)
		if err != nil {
			t.Fatal(err)
		}
		requests = append(requests, req.Body.Stringify())
	}
	files := mapCAS{}
	anchor, written, err := batch.Build(requests, writerLockID, p, files.put)
	if err != nil {
		t.Fatal(err)
	}
	return files, anchor, written
}

// TestFileProcessorVerdicts: the processor returns each operation with the signature verdict computed
// from its bytes, a valid update's as valid and a forged signature's as invalid.
func TestFileProcessorVerdicts(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	create, err := sidetree.NewCreateRequest("ion", testKey(t, rand.Reader), testKey(t, rand.Reader), sidetree.Document{}, p)
	if err != nil {
		t.Fatal(err)
	}
	suffix := func() string {
		c, err := sidetree.NewCreateRequest("ion", testKey(t, rand.Reader), testKey(t, rand.Reader), sidetree.Document{}, p)
		if err != nil {
			t.Fatal(err)
		}
		return c.DIDSuffix
	}
	validDID, forgedDID := suffix(), suffix()
	update := func(suffix string) sidetree.Value {
		u, err := sidetree.NewUpdateRequest(suffix, testKey(t, rand.Reader), testKey(t, rand.Reader), sidetree.UpdateChanges{}, p)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	valid := update(validDID)
	forged := update(forgedDID)
	own, _ := forged.Field("signedData").Str()
	other, _ := valid.Field("signedData").Str()
	forged.Set("signedData", sidetree.String(own[:strings.LastIndexByte(own, '.')]+other[strings.LastIndexByte(other, '.'):]))
	files := mapCAS{}
	anchor, _, err := batch.Build([][]byte{create.Body.Stringify(), valid.Stringify(), forged.Stringify()}, "", p, files.put)
	if err != nil {
		t.Fatal(err)
	}
	proc := &FileProcessor{Network: sidetree.Mainnet(), CAS: files}
	tx := Transaction{Number: 700_000_000_001, Time: 700_000, AnchorString: anchor, FeePaid: 1000, NormalizedFee: 1000, Writer: "w"}
	ops, err := proc.Operations(context.Background(), tx)
	if err != nil || len(ops) != 3 {
		t.Fatalf("%d operations, %v", len(ops), err)
	}
	want := map[string]sidetree.Verdict{
		create.DIDSuffix: sidetree.VerdictInvalid, // no signature
		validDID:         sidetree.VerdictValid,
		forgedDID:        sidetree.VerdictInvalid,
	}
	for _, op := range ops {
		if op.Verdict != want[op.DIDSuffix] || op.Verdict != sidetree.ComputeVerdict(op.Raw) {
			t.Errorf("%s %s: verdict %s, want %s", op.Type, op.DIDSuffix, op.Verdict, want[op.DIDSuffix])
		}
	}
}
