package chainbuild

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/ionode/ionode/bench/internal/gen"
	"github.com/ionode/ionode/sidetree"
)

// Mix is the share of each operation type in a batch, in per cent.
type Mix struct{ Creates, Updates, Recovers, Deactivates int }

// ParseMix reads "creates/updates/recovers/deactivates" in per cent, e.g. "70/25/4/1". The shares must
// add up to 100, and creates must be at least the other three together: every batch's updates, recovers
// and deactivates target DIDs the batch before created.
func ParseMix(s string) (Mix, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 4 {
		return Mix{}, fmt.Errorf("mix %q: want creates/updates/recovers/deactivates in per cent, e.g. 70/25/4/1", s)
	}
	var v [4]int
	for i, part := range parts {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 || n > 100 {
			return Mix{}, fmt.Errorf("mix %q: %q is not a percentage", s, part)
		}
		v[i] = n
	}
	m := Mix{v[0], v[1], v[2], v[3]}
	if v[0]+v[1]+v[2]+v[3] != 100 {
		return Mix{}, fmt.Errorf("mix %q: the shares add up to %d, not 100", s, v[0]+v[1]+v[2]+v[3])
	}
	if m.Creates < m.Updates+m.Recovers+m.Deactivates {
		return Mix{}, fmt.Errorf("mix %q: creates must be at least the other operations together", s)
	}
	return m, nil
}

func (m Mix) String() string {
	return fmt.Sprintf("%d/%d/%d/%d", m.Creates, m.Updates, m.Recovers, m.Deactivates)
}

// MixPlan is Ops operations in batches of Size. The first batch creates only; every later batch has the
// Mix, its updates, recovers and deactivates targeting the first DIDs the batch before created (in that
// order), so each DID is touched at most once after its create and every operation applies: updates are
// signed with the update key the DID committed to, recovers and deactivates with its recovery key. The
// last batch may be smaller. Make it with NewMixPlan; every call of Batch must pass the same keys.
type MixPlan struct {
	Ops, Size int
	Mix       Mix

	// A batch hands the DIDs it created to the next one, which targets them, so they are generated once:
	// created holds a batch's suffixes until the next batch takes them (at most a few batches' worth).
	mu      sync.Mutex
	cond    *sync.Cond
	started map[int]bool
	done    map[int]bool
	created map[int][]string
}

// NewMixPlan plans ops operations in batches of size.
func NewMixPlan(ops, size int, mix Mix) *MixPlan {
	m := &MixPlan{Ops: ops, Size: size, Mix: mix, started: map[int]bool{}, done: map[int]bool{}, created: map[int][]string{}}
	m.cond = sync.NewCond(&m.mu)
	return m
}

// publish records batch index's created suffixes (nil when generating them failed) for the next batch.
func (m *MixPlan) publish(index int, suffixes []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.done[index] = true
	if suffixes != nil && index+1 < m.Len() {
		m.created[index] = suffixes
	}
	m.cond.Broadcast()
}

// take returns batch index's created suffixes, waiting while another call is generating them and
// generating them itself when no call did.
func (m *MixPlan) take(k gen.Keys, index, n int, p sidetree.Parameters) ([]string, error) {
	m.mu.Lock()
	for m.started[index] && !m.done[index] {
		m.cond.Wait()
	}
	s, ok := m.created[index]
	delete(m.created, index)
	delete(m.started, index)
	delete(m.done, index)
	m.mu.Unlock()
	if ok {
		return s, nil
	}
	created, err := gen.Creates(k, m.firstCreated(index), n, p)
	return suffixesOf(created), err
}

func (m *MixPlan) Len() int {
	if m.Size < 1 {
		return 0
	}
	return (m.Ops + m.Size - 1) / m.Size
}

// split is batch index's operation counts: creates, updates, recovers, deactivates.
func (m *MixPlan) split(index int) (c, u, r, d int) {
	n := min(m.Size, m.Ops-index*m.Size)
	if index == 0 {
		return n, 0, 0, 0
	}
	u, r, d = n*m.Mix.Updates/100, n*m.Mix.Recovers/100, n*m.Mix.Deactivates/100
	return n - u - r - d, u, r, d
}

// firstCreated is the number of batch index's first created DID.
func (m *MixPlan) firstCreated(index int) int {
	if index == 0 {
		return 0
	}
	full, _, _, _ := m.split(1)
	return m.Size + (index-1)*full
}

func (m *MixPlan) Batch(k gen.Keys, index int, p sidetree.Parameters) (Batch, error) {
	b := Batch{Index: index}
	if m.Size < 1 || index < 0 || index >= m.Len() {
		return b, fmt.Errorf("chainbuild: batch %d of a %d-operation plan in batches of %d", index, m.Ops, m.Size)
	}
	m.mu.Lock()
	m.started[index] = true
	m.mu.Unlock()
	c, u, r, d := m.split(index)
	created, err := gen.Creates(k, m.firstCreated(index), c, p)
	if err != nil {
		m.publish(index, nil)
		return b, err
	}
	b.Created, b.Requests = suffixesOf(created), requestsOf(created)
	m.publish(index, b.Created)
	if index > 0 {
		pc, _, _, _ := m.split(index - 1)
		if pc < u+r+d {
			return b, fmt.Errorf("chainbuild: batch %d targets %d DIDs, the batch before created %d", index, u+r+d, pc)
		}
		first := m.firstCreated(index - 1)
		targets, err := m.take(k, index-1, pc, p)
		if err != nil {
			return b, err
		}
		b.Updated, b.Recovered, b.Deactivated = targets[:u], targets[u:u+r], targets[u+r:u+r+d]
		b.Settled = targets[u+r+d:]
		updates, err := gen.Updates(k, b.Updated, p)
		if err != nil {
			return b, err
		}
		recovers, err := gen.Recovers(k, b.Recovered, first+u, p)
		if err != nil {
			return b, err
		}
		deactivates, err := gen.Deactivates(k, b.Deactivated, p)
		if err != nil {
			return b, err
		}
		b.Requests = append(append(append(b.Requests, updates...), recovers...), deactivates...)
	}
	if index == m.Len()-1 {
		b.Settled = append(b.Settled, b.Created...)
	}
	return b, nil
}
