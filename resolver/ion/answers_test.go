package ion_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/ionode/ionode/internal/bytecache"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// TestAnswersNeverStale follows one DID through its create, a recovery, a deactivation and two
// rollbacks on the node's embedded store (its state cache and in-memory layer on), and checks after
// each step that Answers serves exactly what a resolver without any cache computes from the
// operations, serialized (Answer) and parsed (Method), for the short and the long form, the first time
// and again. The second resolution of a
// step must come from memory: the test also proves answers are kept.
func TestAnswersNeverStale(t *testing.T) {
	ctx, s := t.Context(), openStore(t)
	network := sidetree.Mainnet()
	p := network.Latest()
	keys := []sidetree.JWK{newKey(t), newKey(t), newKey(t)}
	create, err := sidetree.NewCreateRequest(network.Method, keys[0].Public(), keys[0].Public(), sidetree.Document{}, p)
	if err != nil {
		t.Fatal(err)
	}
	doc := sidetree.Document{Services: []sidetree.Service{{ID: "dwn", Type: "DecentralizedWebNode", Endpoint: sidetree.String("https://dwn.example.com")}}}
	recover, err := sidetree.NewRecoverRequest(create.DIDSuffix, keys[0], keys[1].Public(), keys[2].Public(), doc, p)
	if err != nil {
		t.Fatal(err)
	}
	deactivate, err := sidetree.NewDeactivateRequest(create.DIDSuffix, keys[1], p)
	if err != nil {
		t.Fatal(err)
	}
	anchored := func(typ sidetree.OperationType, body sidetree.Value, tx uint64) []sidetree.AnchoredOperation {
		return []sidetree.AnchoredOperation{{Type: typ, DIDSuffix: create.DIDSuffix, Raw: body.Stringify(), TransactionNumber: tx << 32, TransactionTime: tx}}
	}

	answers := ion.NewAnswers(&ion.Resolver{Network: network, Log: s, Cache: s}, 0)
	method := answers.Method()
	truth := &ion.Resolver{Network: network, Log: s} // no cache: every answer from the operations
	short := "did:ion:" + create.DIDSuffix
	check := func(step string, wantStatus int) {
		t.Helper()
		for _, did := range []string{short, create.LongForm} {
			res, err := truth.Resolve(ctx, did)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			want := ion.NewAnswer(res)
			if held, ok := answers.AnswerHeld(did); ok { // what is kept is stale or absent before first
				t.Fatalf("%s, %.30s: held %d %s before the answer was computed", step, did, held.Status, held.Body)
			}
			first, err := answers.Answer(ctx, did)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			before := answers.Kept()
			again, err := answers.Answer(ctx, did)
			after := answers.Kept()
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			direct, err := truth.Answer(ctx, did) // written from the state, nothing kept
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			for _, got := range []*ion.Answer{first, again, direct} {
				if got.Status != want.Status || !bytes.Equal(got.Body, want.Body) || got.ETag != want.ETag || got.Published != want.Published {
					t.Fatalf("%s, %.30s: served %d %s\nwant %d %s", step, did, got.Status, got.Body, want.Status, want.Body)
				}
			}
			// The verifiers' view of the same cache: the Result the plain method makes, first and again.
			wantResult := resolver.ResultJSON(resolver.ION(truth).Resolve(ctx, did))
			for range 2 {
				if got := resolver.ResultJSON(method.Resolve(ctx, did)); !bytes.Equal(got, wantResult) {
					t.Fatalf("%s, %.30s: method served %s\nwant %s", step, did, got, wantResult)
				}
			}
			if did == short && want.Status != wantStatus { // the long form resolves unpublished too
				t.Fatalf("%s, %.30s: status %d, want %d", step, did, want.Status, wantStatus)
			}
			if wantStatus == 404 {
				continue // nothing anchored: no state to remember an answer by
			}
			if after.Gets != before.Gets+1 || after.Misses != before.Misses || after.Entries != before.Entries {
				t.Fatalf("%s, %.30s: the answer was computed again, not remembered (%+v → %+v)", step, did, before, after)
			}
			// The store's state memo holds the DID's generation: the kept answer is at hand.
			held, ok := answers.AnswerHeld(did)
			if !ok || held.Status != want.Status || !bytes.Equal(held.Body, want.Body) || held.ETag != want.ETag || held.Published != want.Published {
				t.Fatalf("%s, %.30s: held %v", step, did, ok)
			}
			held.Release()
		}
	}
	check("nothing anchored", 404)
	for _, step := range []struct {
		name   string
		write  func() error
		status int
	}{
		{"create", func() error { return s.PutOperations(ctx, anchored(sidetree.OpCreate, create.Body, 1)) }, 200},
		{"recover", func() error { return s.PutOperations(ctx, anchored(sidetree.OpRecover, recover, 2)) }, 200},
		{"deactivate", func() error { return s.PutOperations(ctx, anchored(sidetree.OpDeactivate, deactivate, 3)) }, 410},
		{"rollback of the deactivation", func() error { return s.RollbackAfter(ctx, 2<<32|0xffffffff) }, 200},
		{"rollback of the recovery", func() error { return s.RollbackAfter(ctx, 1<<32|0xffffffff) }, 200},
		{"rollback of the create", func() error { return s.RollbackAfter(ctx, 0) }, 404},
	} {
		if err := step.write(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		check(step.name, step.status)
	}
}

// TestAnswersBounded: the serialized answers stay within their capacity, and answers evicted from it
// are computed again.
func TestAnswersBounded(t *testing.T) {
	ctx, s, key := t.Context(), openStore(t), newKey(t)
	network := sidetree.Mainnet()
	var dids []string
	for i := range 40 {
		doc := sidetree.Document{Services: []sidetree.Service{{ID: "s", Type: "T", Endpoint: sidetree.String(fmt.Sprintf("https://example.com/%d", i))}}}
		c, err := sidetree.NewCreateRequest(network.Method, key.Public(), key.Public(), doc, network.Latest())
		if err != nil {
			t.Fatal(err)
		}
		op := sidetree.AnchoredOperation{Type: sidetree.OpCreate, DIDSuffix: c.DIDSuffix, Raw: c.Body.Stringify(), TransactionNumber: 1 << 32, OperationIndex: uint32(i)}
		if err := s.PutOperations(ctx, []sidetree.AnchoredOperation{op}); err != nil {
			t.Fatal(err)
		}
		dids = append(dids, "did:ion:"+c.DIDSuffix)
	}
	// A budget under the smallest capacity takes the smallest; answers evicted from it are computed again,
	// the same.
	answers := ion.NewAnswers(&ion.Resolver{Network: network, Log: s, Cache: s}, 16<<10)
	if got := answers.Kept().Capacity; got != bytecache.Granule {
		t.Fatalf("capacity %d for a 16 KiB budget, want %d", got, bytecache.Granule)
	}
	first := map[string][]byte{}
	for _, did := range dids {
		a, err := answers.Answer(ctx, did)
		if err != nil || a.Status != 200 {
			t.Fatalf("%v %v", a, err)
		}
		first[did] = a.Body
	}
	ion.FlushKept(answers)
	if s := answers.Kept(); s.Bytes > uint64(s.Capacity) {
		t.Fatalf("%d bytes kept, capacity %d", s.Bytes, s.Capacity)
	}
	for pass := range 2 {
		before := answers.Kept()
		for _, did := range dids {
			if a, err := answers.Answer(ctx, did); err != nil || !bytes.Equal(a.Body, first[did]) {
				t.Fatalf("pass %d, %s: %v %s", pass, did, err, a.Body)
			}
		}
		// The first pass after the flush computes every answer again; the second is served from memory.
		misses, want := answers.Kept().Misses-before.Misses, uint64(len(dids))
		if pass == 1 {
			want = 0
		}
		if misses != want {
			t.Fatalf("pass %d: %d answers not kept, want %d", pass, misses, want)
		}
	}
}

// openStore opens the node's embedded store, closed when the test ends.
func openStore(t *testing.T) *pebble.Store {
	t.Helper()
	s, err := pebble.Open(t.TempDir(), pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

func newKey(t *testing.T) sidetree.JWK {
	t.Helper()
	k, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

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
	c := ion.NewAnswers(&ion.Resolver{Network: sidetree.Mainnet(), Log: log}, 0).Method()
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
	c2 := ion.NewAnswers(&ion.Resolver{Network: sidetree.Mainnet(), Log: log2}, 0).Method()
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
	c := ion.NewAnswers(&ion.Resolver{Network: sidetree.Mainnet(), Log: withoutGenerations{log}}, 0).Method()
	for i := 1; i <= 3; i++ {
		if _, err := c.Resolve(t.Context(), did.create.LongForm); err != nil {
			t.Fatal(err)
		}
		if got := log.readCount(); got != i {
			t.Fatalf("%d resolutions computed after %d calls", got, i)
		}
	}
}

// TestAnswerHeldOnlyFromMemory: a log that reads generations only through Generation (which may wait,
// as MongoDB's round trip does) never has an answer at hand, kept or not: each is served by Answer,
// under the caller's context.
func TestAnswerHeldOnlyFromMemory(t *testing.T) {
	log, did := newMemoryLog(), newTestDID(t)
	log.put(did.anchoredCreate())
	answers := ion.NewAnswers(&ion.Resolver{Network: sidetree.Mainnet(), Log: log}, 0)
	short := "did:ion:" + did.create.DIDSuffix
	for range 2 {
		if _, err := answers.Answer(t.Context(), short); err != nil {
			t.Fatal(err)
		}
	}
	if log.readCount() != 1 {
		t.Fatalf("%d resolutions computed: the answer was not kept", log.readCount())
	}
	if _, ok := answers.AnswerHeld(short); ok {
		t.Fatal("an answer at hand from a log that holds no generation in memory")
	}
}

// TestMethodBounded: the parsed results are bounded by their part of the budget (an eighth): parsing them
// again costs no resolution while the serialized answers are kept.
func TestMethodBounded(t *testing.T) {
	log := newMemoryLog()
	// Parsed results get 64 KiB: room for about nine of the twenty long-form answers (~2 KB, counted
	// three times over).
	c := ion.NewAnswers(&ion.Resolver{Network: sidetree.Mainnet(), Log: log}, 512<<10).Method()
	var dids []testDID
	for range 20 {
		dids = append(dids, newTestDID(t))
	}
	results := map[string]*resolver.Result{}
	for pass := 1; pass <= 2; pass++ {
		for _, d := range dids {
			res, err := c.Resolve(t.Context(), d.create.LongForm)
			if err != nil {
				t.Fatal(err)
			}
			// Resolving them again in order evicts each parsed result before it is asked for again.
			if pass == 2 && res == results[d.create.LongForm] {
				t.Fatalf("a parsed result was kept past its budget")
			}
			results[d.create.LongForm] = res
		}
		if got := log.readCount(); got != len(dids) {
			t.Fatalf("pass %d: %d resolutions computed, want %d (the serialized answers are kept)", pass, got, len(dids))
		}
	}
	last := dids[len(dids)-1].create.LongForm
	if res, err := c.Resolve(t.Context(), last); err != nil || res != results[last] {
		t.Fatalf("the most recent parsed result was not kept: %v", err)
	}
}

// TestCachedErrors: DIDs that do not resolve get the same error as without the cache, every time.
func TestCachedErrors(t *testing.T) {
	r := &ion.Resolver{Network: sidetree.Mainnet(), Log: newMemoryLog()}
	c, plain := ion.NewAnswers(r, 0).Method(), resolver.ION(r)
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

// TestAnswersReleased: answers served from memory and released are recycled for the next ones, from
// goroutines resolving at once; every answer read before its release is the DID's own.
func TestAnswersReleased(t *testing.T) {
	ctx, log := t.Context(), newMemoryLog()
	r := &ion.Resolver{Network: sidetree.Mainnet(), Log: log}
	answers := ion.NewAnswers(r, 0)
	var dids []string
	want := map[string][]byte{}
	for range 8 {
		d := newTestDID(t)
		log.put(d.anchoredCreate())
		did := "did:ion:" + d.create.DIDSuffix
		res, err := r.Resolve(ctx, did)
		if err != nil {
			t.Fatal(err)
		}
		dids, want[did] = append(dids, did), ion.NewAnswer(res).Body
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 400 {
				did := dids[(g+i)%len(dids)]
				a, err := answers.Answer(ctx, did)
				if err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(a.Body, want[did]) {
					t.Errorf("%s: served %.60s", did, a.Body)
					return
				}
				a.Release()
			}
		})
	}
	wg.Wait()
	if s := answers.Kept(); s.Gets-s.Misses < 4*400-uint64(len(dids))*4 {
		t.Fatalf("%d of %d answers served from memory", s.Gets-s.Misses, s.Gets)
	}
}
