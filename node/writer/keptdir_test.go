package writer

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func keptBatch(id string, ops int) KeptBatch {
	b := KeptBatch{ID: id, TxID: "tx-" + id}
	for i := range ops {
		b.Ops = append(b.Ops, Operation{DIDSuffix: fmt.Sprintf("%s-%d", id, i), Type: "update", Request: []byte(`{"type":"update"}`)})
	}
	return b
}

func loadIDs(t *testing.T, d *DirKept) ([]string, []KeptBatch) {
	t.Helper()
	kept, err := d.LoadKept(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, k := range kept {
		ids = append(ids, k.ID)
	}
	return ids, kept
}

// DirKept keeps batches oldest first across restarts: a replaced batch keeps its place, a deleted one
// is gone, leftovers of an interrupted write are ignored, and IDs unfit for file names still work.
func TestDirKept(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "kept")
	d := &DirKept{Dir: dir}
	if ids, _ := loadIDs(t, d); len(ids) != 0 {
		t.Fatalf("a missing directory holds %v", ids)
	}
	for _, b := range []KeptBatch{keptBatch("a1", 3), keptBatch("b2", 2), keptBatch("../c/3", 1)} {
		if err := d.PutKept(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	lost := keptBatch("b2", 1)
	lost.Lost = true
	if err := d.PutKept(ctx, lost); err != nil {
		t.Fatal(err)
	}
	if err := d.DeleteKept(ctx, "a1"); err != nil {
		t.Fatal(err)
	}
	if err := d.DeleteKept(ctx, "never-kept"); err != nil {
		t.Fatal(err)
	}
	if err := d.PutKept(ctx, keptBatch("d4", 1)); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ".0000000000000009-x.json.123.tmp"), []byte("{"), 0o600)

	ids, kept := loadIDs(t, &DirKept{Dir: dir}) // a restart
	if !slices.Equal(ids, []string{"b2", "../c/3", "d4"}) {
		t.Fatalf("kept %v", ids)
	}
	if !kept[0].Lost || len(kept[0].Ops) != 1 || kept[0].TxID != "tx-b2" {
		t.Fatalf("replaced batch read back as %+v", kept[0])
	}
	if _, err := os.Stat(filepath.Join(dir, "..", "c")); !os.IsNotExist(err) {
		t.Fatalf("an ID with a path in it wrote outside the directory: %v", err)
	}
	// A batch kept after the restart goes after the others.
	again := &DirKept{Dir: dir}
	if err := again.PutKept(ctx, keptBatch("e5", 1)); err != nil {
		t.Fatal(err)
	}
	if ids, _ := loadIDs(t, again); !slices.Equal(ids, []string{"b2", "../c/3", "d4", "e5"}) {
		t.Fatalf("after a restart and a new batch: %v", ids)
	}
}

// The single file of earlier versions is moved into the directory, in order, and removed.
func TestDirKeptMigratesLegacyFile(t *testing.T) {
	root := t.TempDir()
	legacy := filepath.Join(root, "writer-kept.json")
	data, _ := json.Marshal([]KeptBatch{keptBatch("old1", 2), keptBatch("old2", 1)})
	if err := os.WriteFile(legacy, data, 0o600); err != nil {
		t.Fatal(err)
	}
	d := &DirKept{Dir: filepath.Join(root, "writer-kept"), Legacy: legacy}
	if err := d.PutKept(context.Background(), keptBatch("new", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Fatalf("legacy file still there: %v", err)
	}
	ids, kept := loadIDs(t, &DirKept{Dir: d.Dir, Legacy: legacy})
	if !slices.Equal(ids, []string{"old1", "old2", "new"}) || len(kept[0].Ops) != 2 {
		t.Fatalf("kept %v", ids)
	}
}

// BenchmarkDirKeptPut: saving one completed 10,000-operation batch while 15 others are kept (one file
// holding all of them took ~5 s per save on the 2-core VM).
func BenchmarkDirKeptPut(b *testing.B) {
	ctx := context.Background()
	d := &DirKept{Dir: b.TempDir()}
	big := keptBatch("x", 10000)
	for i := range big.Ops {
		big.Ops[i].Request = make([]byte, 1200)
	}
	for i := range 15 {
		big.ID = fmt.Sprint("k", i)
		if err := d.PutKept(ctx, big); err != nil {
			b.Fatal(err)
		}
	}
	big.ID = "new"
	for b.Loop() {
		if err := d.PutKept(ctx, big); err != nil {
			b.Fatal(err)
		}
	}
}
