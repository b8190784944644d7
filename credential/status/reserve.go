package status

import (
	"context"
	"fmt"
	"sync"

	"github.com/ionode/ionode/credential"
)

// Reserve hands out status entries from batches allocated ahead with Manager.AllocateN, so that issuing
// at a high rate costs one list write per batch instead of one per credential. Entries reserved but not
// handed out when the process stops stay allocated and are never used: a list loses at most Batch
// indexes per restart. Safe for concurrent use.
type Reserve struct {
	Manager *Manager
	Batch   int // entries per allocation; default 64

	mu   sync.Mutex
	free map[string][]credential.Status
}

// Allocate returns an entry of list, allocating a new batch when the reserve is empty.
func (r *Reserve) Allocate(ctx context.Context, list string) (credential.Status, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.free[list]) == 0 {
		n := r.Batch
		if n <= 0 {
			n = 64
		}
		batch, err := r.Manager.AllocateN(ctx, list, n)
		if err != nil {
			return credential.Status{}, fmt.Errorf("reserve status entries: %w", err)
		}
		if r.free == nil {
			r.free = map[string][]credential.Status{}
		}
		r.free[list] = batch
	}
	entries := r.free[list]
	e := entries[len(entries)-1]
	r.free[list] = entries[:len(entries)-1]
	return e, nil
}
