package status

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/ionode/ionode/internal/atomicfile"
)

// List is a status list as the issuer keeps it: the status bits and which indexes were handed out.
type List struct {
	ID        string    // name in URLs and file names: [A-Za-z0-9_-]{1,64}
	Kind      Kind      // which specification the list credential follows
	Purpose   string    // "revocation" or "suspension"
	Bits      Bitstring // set bit: revoked / suspended
	Allocated Bitstring // set bit: index given to a credential
	Version   uint64    // incremented on every change
}

// ErrNotFound is returned by a Store for a list it does not have.
var ErrNotFound = errors.New("status list not found")

// Store keeps status lists.
type Store interface {
	Load(ctx context.Context, id string) (*List, error)
	Save(ctx context.Context, l *List) error
}

var listID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidID reports whether id may name a list.
func ValidID(id string) bool { return listID.MatchString(id) }

// FileStore keeps each list as a JSON file <id>.json in Dir, replaced atomically (write to a temporary
// file, fsync, rename, fsync the directory) so a crash leaves the old or the new list, never half.
type FileStore struct {
	Dir string
}

type listFile struct {
	ID          string `json:"id"`
	Kind        Kind   `json:"kind"`
	Purpose     string `json:"purpose"`
	Version     uint64 `json:"version"`
	EncodedList string `json:"encodedList"`
	Allocated   string `json:"allocated"`
}

// Load reads a list.
func (s *FileStore) Load(_ context.Context, id string) (*List, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("%w: invalid id %q", ErrNotFound, id)
	}
	data, err := os.ReadFile(filepath.Join(s.Dir, id+".json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	var f listFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("status list %s: %w", id, err)
	}
	bits, err := Decode(f.EncodedList, f.Kind)
	if err != nil {
		return nil, fmt.Errorf("status list %s: %w", id, err)
	}
	alloc, err := Decode(f.Allocated, f.Kind)
	if err != nil {
		return nil, fmt.Errorf("status list %s allocations: %w", id, err)
	}
	if f.ID != id || len(alloc) != len(bits) {
		return nil, fmt.Errorf("status list %s: inconsistent file", id)
	}
	return &List{ID: f.ID, Kind: f.Kind, Purpose: f.Purpose, Version: f.Version, Bits: bits, Allocated: alloc}, nil
}

// Save writes a list atomically.
func (s *FileStore) Save(_ context.Context, l *List) error {
	if !ValidID(l.ID) {
		return fmt.Errorf("invalid status list id %q", l.ID)
	}
	enc, err := l.Bits.encode(l.Kind, gzip.BestSpeed)
	if err != nil {
		return err
	}
	alloc, err := l.Allocated.encode(l.Kind, gzip.BestSpeed)
	if err != nil {
		return err
	}
	data, err := json.Marshal(listFile{ID: l.ID, Kind: l.Kind, Purpose: l.Purpose, Version: l.Version, EncodedList: enc, Allocated: alloc})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(s.Dir, l.ID+".json"), data, 0o600)
}
