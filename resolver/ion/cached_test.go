package ion_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// memoryLog is an operation log with generations, as the node's stores keep them: every write bumps
// the DID's generation. It counts the operation reads (each one a resolution computed).
type memoryLog struct {
	mu     sync.Mutex
	ops    map[string][]sidetree.AnchoredOperation
	gens   map[string]uint64
	reads  int
	onRead func() // runs after Operations has read, as an observer storing an operation meanwhile
}

func newMemoryLog() *memoryLog {
	return &memoryLog{ops: map[string][]sidetree.AnchoredOperation{}, gens: map[string]uint64{}}
}

func (l *memoryLog) put(op sidetree.AnchoredOperation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ops[op.DIDSuffix] = append(l.ops[op.DIDSuffix], op)
	l.gens[op.DIDSuffix]++
}

func (l *memoryLog) Operations(_ context.Context, suffix string) ([]sidetree.AnchoredOperation, uint64, error) {
	l.mu.Lock()
	ops, gen := append([]sidetree.AnchoredOperation(nil), l.ops[suffix]...), l.gens[suffix]
	l.reads++
	hook := l.onRead
	l.onRead = nil
	l.mu.Unlock()
	if hook != nil {
		hook()
	}
	return ops, gen, nil
}

func (l *memoryLog) Generation(_ context.Context, suffix string) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.gens[suffix], nil
}

func (l *memoryLog) readCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reads
}

// withoutGenerations hides Generation: a log that cannot tell them.
type withoutGenerations struct{ l *memoryLog }

func (w withoutGenerations) Operations(ctx context.Context, suffix string) ([]sidetree.AnchoredOperation, uint64, error) {
	return w.l.Operations(ctx, suffix)
}

type testDID struct {
	create     *sidetree.CreateRequest
	recovery   sidetree.JWK
	deactivate sidetree.Value
}

func newTestDID(t *testing.T) testDID {
	t.Helper()
	recovery, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	create, err := sidetree.NewCreateRequest("ion", recovery.Public(), recovery.Public(), sidetree.Document{}, sidetree.Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	deactivate, err := sidetree.NewDeactivateRequest(create.DIDSuffix, recovery, sidetree.Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	return testDID{create: create, recovery: recovery, deactivate: deactivate}
}

func (d testDID) anchoredCreate() sidetree.AnchoredOperation {
	return sidetree.AnchoredOperation{Type: sidetree.OpCreate, DIDSuffix: d.create.DIDSuffix, Raw: d.create.Body.Stringify(), TransactionNumber: 1}
}

func (d testDID) anchoredDeactivate() sidetree.AnchoredOperation {
	return sidetree.AnchoredOperation{Type: sidetree.OpDeactivate, DIDSuffix: d.create.DIDSuffix, Raw: d.deactivate.Stringify(), TransactionNumber: 2}
}

func published(t *testing.T, res *resolver.Result) bool {
	t.Helper()
	var meta struct {
		Method struct {
			Published bool `json:"published"`
		} `json:"method"`
	}
	if err := json.Unmarshal(res.Metadata.Raw, &meta); err != nil {
		t.Fatalf("metadata %s: %v", res.Metadata.Raw, err)
	}
	return meta.Method.Published
}

// TestCachedFollowsTheStore: a remembered answer is served only while the DID's generation is the one
// it was computed at; the create, a deactivation and a write racing with the computation are all seen.
func TestCachedFollowsTheStore(t *testing.T) {
	ctx := t.Context()
	log, did := newMemoryLog(), newTestDID(t)
	c := ion.NewCached(&ion.Resolver{Network: sidetree.Mainnet(), Log: log}, 0)
	resolve := func(want string, wantPublished bool, wantReads int) *resolver.Result {
		t.Helper()
		res, err := c.Resolve(ctx, did.create.LongForm)
		if err != nil {
			t.Fatalf("%s: %v", want, err)
		}
		if published(t, res) != wantPublished {
			t.Fatalf("%s: published %v, want %v", want, !wantPublished, wantPublished)
		}
		if got := log.readCount(); got != wantReads {
			t.Fatalf("%s: %d resolutions computed, want %d", want, got, wantReads)
		}
		return res
	}

	first := resolve("unpublished", false, 1)
	if again := resolve("unpublished, remembered", false, 1); again != first {
		t.Fatal("a remembered answer was recomputed")
	}
	log.put(did.anchoredCreate())
	resolve("create anchored", true, 2)
	resolve("create anchored, remembered", true, 2)

	// The short form is its own entry and follows the same generation.
	if res, err := c.Resolve(ctx, "did:ion:"+did.create.DIDSuffix); err != nil || !published(t, res) {
		t.Fatalf("short form: %v", err)
	}

	log.put(did.anchoredDeactivate())
	for range 2 {
		_, err := c.Resolve(ctx, did.create.LongForm)
		var re *resolver.Error
		if !errors.As(err, &re) || re.Code != resolver.CodeDeactivated {
			t.Fatalf("after the deactivation: %v, want %s", err, resolver.CodeDeactivated)
		}
	}

	// An operation stored while an answer is computed: the answer computed from the older log must not
	// be served afterwards.
	log2, did2 := newMemoryLog(), newTestDID(t)
	c2 := ion.NewCached(&ion.Resolver{Network: sidetree.Mainnet(), Log: log2}, 0)
	log2.onRead = func() { log2.put(did2.anchoredCreate()) }
	if res, err := c2.Resolve(ctx, did2.create.LongForm); err != nil || published(t, res) {
		t.Fatalf("racing resolution: %v", err)
	}
	if res, err := c2.Resolve(ctx, did2.create.LongForm); err != nil || !published(t, res) {
		t.Fatalf("after the racing create: %v; the answer from before it was served", err)
	}
}

func TestCachedWithoutGenerationsResolvesEveryTime(t *testing.T) {
	log, did := newMemoryLog(), newTestDID(t)
	c := ion.NewCached(&ion.Resolver{Network: sidetree.Mainnet(), Log: withoutGenerations{log}}, 0)
	for i := 1; i <= 3; i++ {
		if _, err := c.Resolve(t.Context(), did.create.LongForm); err != nil {
			t.Fatal(err)
		}
		if got := log.readCount(); got != i {
			t.Fatalf("%d resolutions computed after %d calls", got, i)
		}
	}
}

func TestCachedBounded(t *testing.T) {
	log := newMemoryLog()
	c := ion.NewCached(&ion.Resolver{Network: sidetree.Mainnet(), Log: log}, 2)
	dids := []testDID{newTestDID(t), newTestDID(t), newTestDID(t)}
	for _, d := range dids {
		if _, err := c.Resolve(t.Context(), d.create.LongForm); err != nil {
			t.Fatal(err)
		}
	}
	// The first was evicted by the third; the third is still remembered.
	for _, tc := range []struct {
		d     testDID
		reads int
	}{{dids[2], 3}, {dids[0], 4}} {
		if _, err := c.Resolve(t.Context(), tc.d.create.LongForm); err != nil {
			t.Fatal(err)
		}
		if got := log.readCount(); got != tc.reads {
			t.Fatalf("%d resolutions computed, want %d", got, tc.reads)
		}
	}
}

// TestCachedErrors: DIDs that do not resolve get the same error as without the cache, every time.
func TestCachedErrors(t *testing.T) {
	r := &ion.Resolver{Network: sidetree.Mainnet(), Log: newMemoryLog()}
	c, plain := ion.NewCached(r, 0), resolver.ION(r)
	did := newTestDID(t)
	for _, bad := range []string{"did:ion:not-a-suffix!", "did:ion:" + did.create.DIDSuffix, did.create.LongForm + "x", "did:ion:test:" + did.create.DIDSuffix} {
		_, want := plain.Resolve(t.Context(), bad)
		for range 2 {
			_, err := c.Resolve(t.Context(), bad)
			var got, exp *resolver.Error
			if !errors.As(err, &got) || !errors.As(want, &exp) || got.Code != exp.Code {
				t.Fatalf("%.40s: err %v, want %v", bad, err, want)
			}
		}
	}
}
