package ion

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"sync"

	"github.com/ionode/ionode/internal/bytecache"
	"github.com/ionode/ionode/internal/sizedlru"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/sidetree"
)

// Answer is a resolution as GET /identifiers/{did} sends it, serialized. Body must not be modified.
type Answer struct {
	Status int
	Body   []byte
	// Published: a published DID's answer (the resolution's didDocumentMetadata.method.published).
	Published bool
	// ETag is Body's strong entity tag (ETag), set for published answers of status 200, the ones
	// HTTP caches may keep.
	ETag string

	pooled bool // Body is buf's, copied out of Answers' kept answers: Release recycles both
	buf    []byte
}

// servedAnswers recycles the answers served from Answers' kept bytes: a resolution's answer is copied
// out of the cache on every hit, and recycling the copy keeps the hit from allocating its body
// (~1.3 KB a request, most of what a hit would allocate, and so most of what brings the next garbage
// collection closer).
var servedAnswers = sync.Pool{New: func() any { return new(Answer) }}

// Release hands an answer served by Answers back for the next one, once its body has been written:
// the Answer must not be used afterwards. It is optional (an answer never released is collected), and
// does nothing for answers that were not copied out of the cache.
func (a *Answer) Release() {
	if a == nil || !a.pooled {
		return
	}
	a.recycle()
}

// recycle empties a pooled answer, keeping its buffer, and hands it back to servedAnswers.
func (a *Answer) recycle() {
	*a = Answer{buf: a.buf[:0]}
	servedAnswers.Put(a)
}

// NewAnswer serializes a resolution.
func NewAnswer(res sidetree.Resolution) *Answer {
	scratch := getScratch()
	defer putScratch(scratch)
	*scratch = res.Body.AppendStringify((*scratch)[:0])
	return newAnswer(res.Status, *scratch, res.Published())
}

// newAnswer is the answer of a serialized resolution, its body copied out of the caller's scratch
// (an answer may be kept: at its size, not with the spare capacity of a growing buffer).
func newAnswer(status int, body []byte, published bool) *Answer {
	a := &Answer{}
	a.set(status, bytes.Clone(body), published)
	return a
}

// set makes a the answer of body, with its ETag when HTTP caches may keep it.
func (a *Answer) set(status int, body []byte, published bool) {
	a.Status, a.Body, a.Published = status, body, published
	if status == 200 && published {
		a.ETag = ETag(body)
	}
}

// answerParsed is the answer to a parsed DID: the body written straight from the DID's state
// (sidetree.AppendResolveDIDState, what bench/compare measures), not composed and then serialized.
func (r *Resolver) answerParsed(ctx context.Context, parsed *sidetree.DID) (*Answer, error) {
	scratch := getScratch()
	defer putScratch(scratch)
	body, status, published, err := r.appendAnswer(ctx, (*scratch)[:0], parsed)
	*scratch = body
	if err != nil {
		return nil, err
	}
	return newAnswer(status, body, published), nil
}

// appendAnswer appends the answer to a parsed DID to dst, with its status and whether the DID is
// published.
func (r *Resolver) appendAnswer(ctx context.Context, dst []byte, parsed *sidetree.DID) (_ []byte, status int, published bool, _ error) {
	state, err := r.State(ctx, parsed.Suffix)
	var unresolvable *sidetree.Error
	if errors.As(err, &unresolvable) {
		res := sidetree.Resolution{Status: 400, Body: sidetree.ErrorBody(unresolvable)}
		return res.Body.AppendStringify(dst), res.Status, res.Published(), nil
	}
	if err != nil {
		return dst, 0, false, err
	}
	dst, status, published = sidetree.AppendResolveDIDState(dst, parsed, state)
	return dst, status, published, nil
}

// scratches are the buffers answers are written into before they are copied out at their size.
var scratches = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

func getScratch() *[]byte { return scratches.Get().(*[]byte) }

// putScratch keeps a buffer for the next answer unless one answer made it large.
func putScratch(b *[]byte) {
	if cap(*b) <= 64<<10 {
		scratches.Put(b)
	}
}

// ETag is the strong entity tag of a resolution body: the quoted base64url of the first 16 bytes of its
// SHA-256.
func ETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}

// Generations is an operation log that reads a DID's generation alone (both of the node's stores do):
// one small read that tells whether anything was stored or rolled back for the DID since.
type Generations interface {
	Generation(ctx context.Context, didSuffix string) (uint64, error)
}

// HeldGenerations is an operation log that may know a DID's generation without waiting on anything:
// the embedded store's in-memory state memo does. MongoDB's generation is a network round trip, which
// only a request's deadline bounds, so that store does not implement it.
type HeldGenerations interface {
	// HeldGeneration is the DID's current generation when it is held in memory (ok false otherwise).
	HeldGeneration(didSuffix string) (generation uint64, ok bool)
}

// DefaultAnswerBytes bounds Answers by default: about 75,000–100,000 answers of a DID with one key and
// one service (1.2 KB of body, its DID, suffix, ETag and a header), kept outside the Go heap
// (internal/bytecache), plus an eighth of it for the verifiers' parsed results.
const DefaultAnswerBytes = 128 << 20

// parsedOverhead approximates a parsed result's bookkeeping beyond three times its body (the document
// and metadata JSON and their parsed form).
const parsedOverhead = 256

// Answers is the node's one cache of did:ion resolutions: a Resolver's answers remembered serialized
// (for GET /identifiers, Answer) and, once a verifier asks for them, parsed (Method), so that a DID
// resolved again costs no state decoding, no document composition, no serialization and no parse.
//
// It never serves a stale answer: an answer is kept with the DID's generation read from the store
// before it was computed, and served only while a fresh read of the generation returns that same
// number. Anchoring the DID's create, an update, a recovery, a deactivation or a reorg's rollback each
// give the DID a new generation (never a reused one), so the next resolution sees them, on any replica
// sharing the store; an operation stored while an answer is computed leaves the answer behind, so it is
// never served. No time-to-live is involved.
//
// The serialized answers live outside the Go heap (internal/bytecache), each copied out when served: a
// node with 100,000 answers kept as Go values made every garbage collection mark about half a million
// objects while requests waited. The parsed results are Go values in an LRU of their own, an eighth of
// the budget: verifiers resolve few DIDs (their issuers) often.
type Answers struct {
	r    *Resolver
	gens Generations     // nil when r.Log cannot tell generations: nothing is remembered
	held HeldGenerations // nil when r.Log holds none in memory (or nothing is remembered)

	kept *bytecache.Cache // serialized answers by DID (keptAnswer)

	mu     sync.Mutex
	parsed *sizedlru.LRU[*parsedEntry] // Method's results by DID
}

type parsedEntry struct {
	generation uint64
	result     *resolver.Result
	err        error
	size       int64
}

// NewAnswers returns r's answers, remembered within budget bytes (DefaultAnswerBytes when 0; none when
// negative, or when r.Log does not implement Generations). The serialized answers' part is rounded as
// bytecache.New rounds it (whole 32 MiB, at least one).
func NewAnswers(r *Resolver, budget int64) *Answers {
	if budget == 0 {
		budget = DefaultAnswerBytes
	}
	a := &Answers{r: r}
	a.gens, _ = r.Log.(Generations)
	if budget > 0 && a.gens != nil {
		a.kept = bytecache.New(budget)
		a.parsed = sizedlru.New(max(budget/8, 1), func(_ string, e *parsedEntry) int64 { return e.size })
		a.held, _ = r.Log.(HeldGenerations)
	}
	return a
}

// Resolve is the resolver's Resolve, not remembered (for callers that need the parsed body).
func (a *Answers) Resolve(ctx context.Context, did string) (sidetree.Resolution, error) {
	return a.r.Resolve(ctx, did)
}

// Kept reports the serialized answers' counters (entries, memory, gets and misses).
func (a *Answers) Kept() bytecache.Stats { return a.kept.Stats() }

// Answer resolves did as Resolver.Resolve does, serialized. Errors are failures of the store.
func (a *Answers) Answer(ctx context.Context, did string) (*Answer, error) {
	ans, _, _, err := a.answer(ctx, did)
	return ans, err
}

// answer returns did's answer, remembered while the DID's generation stands or computed anew (and kept
// when the DID parses and its generation could be read), with that generation.
func (a *Answers) answer(ctx context.Context, did string) (_ *Answer, gen uint64, known bool, _ error) {
	if a.kept == nil {
		ans, err := a.r.Answer(ctx, did)
		if err != nil {
			return nil, 0, false, err
		}
		return ans, 0, false, nil
	}
	// The generation is read before the answer is computed: an operation stored meanwhile leaves it
	// behind the store's, so the answer is never served. A stale entry's fresh read is that read.
	served, k, ok := a.lookup(did)
	if ok {
		g, err := a.gens.Generation(ctx, k.suffix)
		if err == nil && g == k.generation {
			served.pooled = true
			return served, g, true, nil
		}
		gen, known = g, err == nil
	}
	served.recycle()
	parsed, malformed := a.r.parse(did)
	if parsed == nil {
		return NewAnswer(malformed), 0, false, nil // not kept: it has no generation
	}
	if !known {
		var err error
		gen, err = a.gens.Generation(ctx, parsed.Suffix)
		known = err == nil
	}
	// Written into a served answer's recycled memory: the cache keeps a copy of its own.
	ans := servedAnswers.Get().(*Answer)
	body, status, published, err := a.r.appendAnswer(ctx, ans.buf[:0], parsed)
	ans.buf = body
	if err != nil {
		ans.recycle()
		return nil, 0, false, err
	}
	ans.set(status, body[:len(body):len(body)], published)
	ans.pooled = true
	if known {
		scratch := getScratch()
		*scratch = encodeKept((*scratch)[:0], gen, parsed.Suffix, ans)
		a.kept.Set(did, *scratch)
		putScratch(scratch)
	}
	return ans, gen, known, nil
}

// AnswerHeld is did's kept answer when serving it waits on nothing: the answer is kept and the store
// holds the DID's generation in memory (HeldGenerations), equal to the answer's. Otherwise ok is false,
// and Answer, which may read the store, has the answer. It is the check Answer makes on a hit, minus the
// store's reads: a caller may serve it without a deadline (node's resolution route does).
func (a *Answers) AnswerHeld(did string) (_ *Answer, ok bool) {
	if a.held == nil {
		return nil, false
	}
	served, k, ok := a.lookup(did)
	if ok {
		if g, held := a.held.HeldGeneration(k.suffix); held && g == k.generation {
			served.pooled = true
			return served, true
		}
	}
	served.recycle()
	return nil, false
}

// lookup copies did's kept answer into a served answer, with the generation and suffix it was kept
// with (ok false: none kept). The served answer is the caller's to serve or recycle.
func (a *Answers) lookup(did string) (served *Answer, _ keptAnswer, ok bool) {
	served = servedAnswers.Get().(*Answer)
	v, ok := a.kept.Get(served.buf[:0], did)
	served.buf = v
	if !ok {
		return served, keptAnswer{}, false
	}
	k, ok := decodeKept(v, did, served)
	return served, k, ok
}

// Method is did:ion as a resolver.Method (what a verifier resolves issuers with), from the same
// remembered answers: each is parsed into a resolver.Result once per generation, on first use.
func (a *Answers) Method() resolver.Method { return answersMethod{a} }

type answersMethod struct{ a *Answers }

func (m answersMethod) Resolve(ctx context.Context, did string) (*resolver.Result, error) {
	ans, gen, known, err := m.a.answer(ctx, did)
	if err != nil {
		return resolver.ION(failed{err}).Resolve(ctx, did) // the method's error for a store failure
	}
	if known {
		m.a.mu.Lock()
		e, ok := m.a.parsed.Get(did)
		m.a.mu.Unlock()
		if ok && e.generation == gen {
			return e.result, e.err
		}
	}
	// The answer's body parses back to the resolution it was serialized from; resolver.ION makes the
	// Result from it exactly as from the resolver.
	e := &parsedEntry{generation: gen, size: 3*int64(len(ans.Body)) + int64(len(did)) + parsedOverhead}
	body, err := sidetree.ParseJSON(ans.Body)
	if err != nil {
		e.err = &resolver.Error{Code: resolver.CodeInternal, Message: "did:ion answer", Err: err}
	} else {
		e.result, e.err = resolver.ION(resolved{sidetree.Resolution{Status: ans.Status, Body: body}}).Resolve(ctx, did)
	}
	if known && m.a.parsed.Fits(e.size) {
		m.a.mu.Lock()
		m.a.parsed.Add(did, e)
		m.a.mu.Unlock()
	}
	return e.result, e.err
}

// resolved is a resolver.IONResolver that answers with one resolution.
type resolved struct{ res sidetree.Resolution }

func (r resolved) Resolve(context.Context, string) (sidetree.Resolution, error) { return r.res, nil }

// failed is a resolver.IONResolver that fails with one error.
type failed struct{ err error }

func (f failed) Resolve(context.Context, string) (sidetree.Resolution, error) {
	return sidetree.Resolution{}, f.err
}
