package pebble

import (
	"bytes"
	"context"
	"crypto/rand"
	"log/slog"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/storetest"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

// TestMigrateVerdictsOfLegacyValues: operation values written before verdicts were stored (type, time,
// raw) read as VerdictUnknown, are counted, and get the verdicts of their bytes from MigrateVerdicts,
// which logs its progress.
func TestMigrateVerdictsOfLegacyValues(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	p := sidetree.Mainnet().Latest()
	key := func() sidetree.JWK {
		k, err := sidetree.GenerateES256K(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	create, err := sidetree.NewCreateRequest("ion", key(), key(), sidetree.Document{}, p)
	if err != nil {
		t.Fatal(err)
	}
	update, err := sidetree.NewUpdateRequest(create.DIDSuffix, key(), key(), sidetree.UpdateChanges{}, p)
	if err != nil {
		t.Fatal(err)
	}
	ops := []sidetree.AnchoredOperation{
		{Type: sidetree.OpCreate, DIDSuffix: create.DIDSuffix, Raw: create.Body.Stringify(), TransactionNumber: 1_000_000, TransactionTime: 1},
		{Type: sidetree.OpUpdate, DIDSuffix: create.DIDSuffix, Raw: update.Stringify(), TransactionNumber: 2_000_000, TransactionTime: 2},
		storetest.Op(create.DIDSuffix, 3_000_000, 0),
	}
	if err := s.PutOperations(ctx, ops); err != nil {
		t.Fatal(err)
	}
	// Rewrite the values as an older version wrote them.
	for _, op := range ops {
		var e encoder
		e.string(string(op.Type))
		e.uint(op.TransactionTime)
		e.b = append(e.b, op.Raw...)
		if err := s.db.Set(operationKey(op.DIDSuffix, op.TransactionNumber, op.OperationIndex), e.b, nil); err != nil {
			t.Fatal(err)
		}
	}
	got, _, err := s.Operations(ctx, create.DIDSuffix)
	if err != nil || len(got) != len(ops) {
		t.Fatalf("legacy values: %d operations, %v", len(got), err)
	}
	for i := range got {
		if got[i].Verdict != sidetree.VerdictUnknown || got[i].Type != ops[i].Type || !bytes.Equal(got[i].Raw, ops[i].Raw) {
			t.Errorf("legacy value %d read as %s %s %s", i, got[i].Type, got[i].Verdict, got[i].Raw)
		}
	}
	if counts, err := s.OperationCounts(ctx, 2_000_000); err != nil || counts[sidetree.OpUpdate] != 1 {
		t.Errorf("OperationCounts of a legacy value: %v, %v", counts, err)
	}

	var logs bytes.Buffer
	n, err := store.MigrateVerdicts(ctx, s, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil || n != len(ops) {
		t.Fatalf("MigrateVerdicts: %d, %v", n, err)
	}
	if !strings.Contains(logs.String(), "computing the signature verdicts") || !strings.Contains(logs.String(), "operations=3") {
		t.Errorf("progress log:\n%s", logs.String())
	}
	got, _, err = s.Operations(ctx, create.DIDSuffix)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []sidetree.Verdict{sidetree.VerdictInvalid, sidetree.VerdictValid, sidetree.VerdictInvalid} {
		if got[i].Verdict != want || !bytes.Equal(got[i].Raw, ops[i].Raw) {
			t.Errorf("operation %d after the migration: verdict %s, want %s", i, got[i].Verdict, want)
		}
	}
	if n, err := store.MigrateVerdicts(ctx, s, slog.New(slog.NewTextHandler(&logs, nil))); n != 0 || err != nil {
		t.Errorf("second migration: %d, %v; want nothing to do", n, err)
	}
}
