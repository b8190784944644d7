package writer

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ionode/ionode/internal/atomicfile"
)

// DirKept keeps each kept batch as a JSON file <seq>-<id>.json in Dir, replaced atomically: a change
// to one batch writes that batch only. (One file for all of them cost 5 s per save at 16 batches of
// 10,000 operations.) seq orders the batches oldest first across restarts.
type DirKept struct {
	Dir string
	// Legacy is the single file earlier versions kept every batch in; LoadKept moves its batches into
	// Dir and removes it.
	Legacy string

	mu    sync.Mutex
	files map[string]string // batch ID → file name; nil until the directory was read
	next  uint64            // the next file's sequence number
}

var _ KeptStore = (*DirKept)(nil)

// safeBatchID is what may appear in a file name as is (the stores' IDs are hex); others are hex-encoded.
var safeBatchID = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)

func keptFileName(seq uint64, id string) string {
	if !safeBatchID.MatchString(id) {
		id = "x" + hex.EncodeToString([]byte(id))
	}
	return fmt.Sprintf("%016d-%s.json", seq, id)
}

// LoadKept reads the batches, oldest first; a missing directory holds none.
func (d *DirKept) LoadKept(context.Context) ([]KeptBatch, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.read()
}

// read reads the directory (after moving a legacy file's batches into it) and learns each batch's
// file; d.mu is held.
func (d *DirKept) read() ([]KeptBatch, error) {
	if err := d.migrate(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(d.Dir)
	if errors.Is(err, os.ErrNotExist) {
		d.files = map[string]string{}
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read kept batches: %w", err)
	}
	files := map[string]string{}
	var kept []KeptBatch
	for _, e := range entries { // ReadDir sorts by name: by sequence
		name := e.Name()
		seqText, _, ok := strings.Cut(name, "-")
		seq, err := strconv.ParseUint(seqText, 10, 64)
		if e.IsDir() || !ok || err != nil || !strings.HasSuffix(name, ".json") {
			continue // a temporary file a crash left, or not ours
		}
		data, err := os.ReadFile(filepath.Join(d.Dir, name))
		if err != nil {
			return nil, fmt.Errorf("read kept batches: %w", err)
		}
		var b KeptBatch
		if err := json.Unmarshal(data, &b); err != nil {
			return nil, fmt.Errorf("read kept batch %s: %w", name, err)
		}
		if old, dup := files[b.ID]; dup { // PutKept never writes a second file for an ID: the later one wins
			os.Remove(filepath.Join(d.Dir, old))
			kept = slices.DeleteFunc(kept, func(k KeptBatch) bool { return k.ID == b.ID })
		}
		files[b.ID] = name
		d.next = max(d.next, seq+1)
		kept = append(kept, b)
	}
	d.files = files
	return kept, nil
}

// migrate moves the batches of the legacy single file into Dir, then removes the file.
func (d *DirKept) migrate() error {
	if d.Legacy == "" {
		return nil
	}
	data, err := os.ReadFile(d.Legacy)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read kept batches: %w", err)
	}
	var kept []KeptBatch
	if err := json.Unmarshal(data, &kept); err != nil {
		return fmt.Errorf("read kept batches %s: %w", d.Legacy, err)
	}
	if err := os.MkdirAll(d.Dir, 0o700); err != nil {
		return fmt.Errorf("kept batches: %w", err)
	}
	for i, b := range kept {
		if err := writeKept(filepath.Join(d.Dir, keptFileName(uint64(i), b.ID)), b); err != nil {
			return err
		}
	}
	if err := os.Remove(d.Legacy); err != nil {
		return fmt.Errorf("kept batches: remove %s after moving its batches: %w", d.Legacy, err)
	}
	return atomicfile.SyncDir(filepath.Dir(d.Legacy))
}

func writeKept(path string, b KeptBatch) error {
	data, err := json.Marshal(b)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, data, 0o600)
}

// load reads the directory once, so that PutKept knows each batch's file; d.mu is held.
func (d *DirKept) load() error {
	if d.files != nil {
		return nil
	}
	_, err := d.read()
	return err
}

// PutKept writes b's file (a batch seen before keeps its sequence number).
func (d *DirKept) PutKept(_ context.Context, b KeptBatch) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.load(); err != nil {
		return err
	}
	name, ok := d.files[b.ID]
	if !ok {
		if err := os.MkdirAll(d.Dir, 0o700); err != nil {
			return fmt.Errorf("kept batches: %w", err)
		}
		name = keptFileName(d.next, b.ID)
		d.next++
	}
	if err := writeKept(filepath.Join(d.Dir, name), b); err != nil {
		return err
	}
	d.files[b.ID] = name
	return nil
}

// DeleteKept removes the batch's file.
func (d *DirKept) DeleteKept(_ context.Context, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.load(); err != nil {
		return err
	}
	name, ok := d.files[id]
	if !ok {
		return nil
	}
	if err := os.Remove(filepath.Join(d.Dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	delete(d.files, id)
	return atomicfile.SyncDir(d.Dir)
}
