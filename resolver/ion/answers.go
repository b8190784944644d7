package ion

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"sync"

	"github.com/ionode/ionode/internal/sizedlru"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/sidetree"
)

// Answer is a resolution as GET /identifiers/{did} sends it: serialized once, shared by every request
// that gets it from Answers. Body must not be modified.
type Answer struct {
	Status int
	Body   []byte
	// Published: a published DID's answer (the resolution's didDocumentMetadata.method.published).
	Published bool
	// ETag is Body's strong entity tag (ETag), set for published answers of status 200, the ones
	// HTTP caches may keep.
	ETag string
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
	a := &Answer{Status: status, Body: bytes.Clone(body), Published: published}
	if a.Status == 200 && a.Published {
		a.ETag = ETag(a.Body)
	}
	return a
}

// answerParsed is the answer to a parsed DID: the body written straight from the DID's state
// (sidetree.AppendResolveDIDState, what bench/compare measures), not composed and then serialized.
func (r *Resolver) answerParsed(ctx context.Context, parsed *sidetree.DID) (*Answer, error) {
	state, err := r.State(ctx, parsed.Suffix)
	var unresolvable *sidetree.Error
	if errors.As(err, &unresolvable) {
		return NewAnswer(sidetree.Resolution{Status: 400, Body: sidetree.ErrorBody(unresolvable)}), nil
	}
	if err != nil {
		return nil, err
	}
	scratch := getScratch()
	defer putScratch(scratch)
	var status int
	var published bool
	*scratch, status, published = sidetree.AppendResolveDIDState((*scratch)[:0], parsed, state)
	return newAnswer(status, *scratch, published), nil
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

// DefaultAnswerBytes bounds Answers by default: about 90,000 answers of a DID with one key and one
// service (1.2 KB of body, plus its key and bookkeeping).
const DefaultAnswerBytes = 128 << 20

// answerOverhead approximates an entry's bookkeeping beyond its key and body (list element, map slot,
// the Answer and the entry), so the budget bounds real memory.
const answerOverhead = 256

// Answers is the node's one cache of did:ion resolutions: a Resolver's answers remembered serialized
// (for GET /identifiers, Answer) and, once a verifier asks for them, parsed (Method), so that a DID
// resolved again costs no state decoding, no document composition, no serialization and no parse.
//
// It never serves a stale answer: an answer is kept with the DID's generation read from the store
// before it was computed, and served only while a fresh read of the generation returns that same
// number. Anchoring the DID's create, an update, a recovery, a deactivation or a reorg's rollback each
// give the DID a new generation (never a reused one), so the next resolution sees them, on any replica
// sharing the store; an operation stored while an answer is computed leaves the answer's generation
// behind, so it is never served. No time-to-live is involved.
type Answers struct {
	r    *Resolver
	gens Generations // nil when r.Log cannot tell generations: nothing is remembered

	mu  sync.Mutex
	lru *sizedlru.LRU[*answerEntry]
}

type answerEntry struct {
	suffix     string
	generation uint64 // read before the answer was computed
	answer     *Answer

	parse  sync.Once
	result *resolver.Result // Method's outcome, parsed from answer on first use
	err    error
	parsed int64 // bytes counted for result once parsed (under Answers.mu)
}

// size counts Body's capacity, not its length: the serializer's slice grows in steps, and the budget is
// for memory held. Caller holds Answers.mu (e.parsed).
func (e *answerEntry) size(did string) int64 {
	return int64(len(did)+len(e.suffix)+cap(e.answer.Body)+len(e.answer.ETag)) + answerOverhead + e.parsed
}

// NewAnswers returns r's answers, remembered within budget bytes (DefaultAnswerBytes when 0; none when
// negative, or when r.Log does not implement Generations).
func NewAnswers(r *Resolver, budget int64) *Answers {
	if budget == 0 {
		budget = DefaultAnswerBytes
	}
	a := &Answers{r: r}
	a.gens, _ = r.Log.(Generations)
	if budget > 0 && a.gens != nil {
		a.lru = newAnswerLRU(budget)
	}
	return a
}

func newAnswerLRU(budget int64) *sizedlru.LRU[*answerEntry] {
	return sizedlru.New(budget, func(did string, e *answerEntry) int64 { return e.size(did) })
}

// Resolve is the resolver's Resolve, not remembered (for callers that need the parsed body).
func (a *Answers) Resolve(ctx context.Context, did string) (sidetree.Resolution, error) {
	return a.r.Resolve(ctx, did)
}

// Answer resolves did as Resolver.Resolve does, serialized. Errors are failures of the store.
func (a *Answers) Answer(ctx context.Context, did string) (*Answer, error) {
	e, err := a.entry(ctx, did)
	if err != nil {
		return nil, err
	}
	return e.answer, nil
}

// entry returns did's remembered entry while the DID's generation stands, or computes a new one (kept
// when the DID parses and its generation could be read).
func (a *Answers) entry(ctx context.Context, did string) (*answerEntry, error) {
	if a.lru == nil {
		ans, err := a.r.Answer(ctx, did)
		if err != nil {
			return nil, err
		}
		return &answerEntry{answer: ans}, nil
	}
	a.mu.Lock()
	e, ok := a.lru.Get(did)
	a.mu.Unlock()
	// The generation is read before the answer is computed: an operation stored meanwhile leaves it
	// behind the store's, so the answer is never served. A stale entry's fresh read is that read.
	var gen uint64
	known := false
	if ok {
		g, err := a.gens.Generation(ctx, e.suffix)
		if err == nil && g == e.generation {
			return e, nil
		}
		gen, known = g, err == nil
	}
	parsed, malformed := a.r.parse(did)
	if parsed == nil {
		return &answerEntry{answer: NewAnswer(malformed)}, nil // not kept: it has no generation
	}
	if !known {
		var err error
		gen, err = a.gens.Generation(ctx, parsed.Suffix)
		known = err == nil
	}
	ans, err := a.r.answerParsed(ctx, parsed)
	if err != nil {
		return nil, err
	}
	e = &answerEntry{suffix: parsed.Suffix, generation: gen, answer: ans}
	if known {
		a.add(did, e)
	}
	return e, nil
}

func (a *Answers) add(did string, e *answerEntry) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lru.Add(did, e)
}

// Method is did:ion as a resolver.Method (what a verifier resolves issuers with), from the same
// remembered answers: each is parsed into a resolver.Result once, on first use.
func (a *Answers) Method() resolver.Method { return answersMethod{a} }

type answersMethod struct{ a *Answers }

func (m answersMethod) Resolve(ctx context.Context, did string) (*resolver.Result, error) {
	e, err := m.a.entry(ctx, did)
	if err != nil {
		return resolver.ION(failed{err}).Resolve(ctx, did) // the method's error for a store failure
	}
	e.parse.Do(func() {
		// The answer's body parses back to the resolution it was serialized from; resolver.ION makes
		// the Result from it exactly as from the resolver.
		body, err := sidetree.ParseJSON(e.answer.Body)
		if err != nil {
			e.result, e.err = nil, &resolver.Error{Code: resolver.CodeInternal, Message: "did:ion answer", Err: err}
			return
		}
		e.result, e.err = resolver.ION(resolved{sidetree.Resolution{Status: e.answer.Status, Body: body}}).Resolve(ctx, did)
		m.a.counted(did, e)
	})
	return e.result, e.err
}

// counted adds e's parsed result to the budget while e is still remembered under did.
func (a *Answers) counted(did string, e *answerEntry) {
	if a.lru == nil || e.result == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if cur, ok := a.lru.Peek(did); !ok || cur != e {
		return
	}
	// The Result holds the document and metadata JSON and their parsed form: about twice the body.
	extra := 2 * int64(len(e.answer.Body))
	e.parsed = extra
	a.lru.Grew(extra)
}

// resolved is a resolver.IONResolver that answers with one resolution.
type resolved struct{ res sidetree.Resolution }

func (r resolved) Resolve(context.Context, string) (sidetree.Resolution, error) { return r.res, nil }

// failed is a resolver.IONResolver that fails with one error.
type failed struct{ err error }

func (f failed) Resolve(context.Context, string) (sidetree.Resolution, error) {
	return sidetree.Resolution{}, f.err
}
