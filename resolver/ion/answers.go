package ion

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"

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
	body := res.Body.AppendStringify(nil)
	if cap(body)-len(body) > len(body)/8 {
		body = bytes.Clone(body) // an answer may be kept: not with up to twice its size in spare capacity
	}
	a := &Answer{Status: res.Status, Body: body, Published: res.Published()}
	if a.Status == 200 && a.Published {
		a.ETag = ETag(a.Body)
	}
	return a
}

// ETag is the strong entity tag of a resolution body: the quoted base64url of the first 16 bytes of its
// SHA-256.
func ETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}

// DefaultAnswerBytes bounds Answers by default: about 90,000 answers of a DID with one key and one
// service (1.2 KB of body, plus its key and bookkeeping).
const DefaultAnswerBytes = 128 << 20

// answerOverhead approximates an entry's bookkeeping beyond its key and body (list element, map slot,
// the Answer and the entry), so the budget bounds real memory.
const answerOverhead = 256

// Answers remembers the serialized answers of a Resolver, so that a DID resolved again costs no JSON
// parse of its stored state, no document composition and no serialization.
//
// An answer is a pure function of the DID string and the DID's state, and the state comes from the
// resolver's StateCache, which serves a state only at the DID's current generation. So each answer is
// kept with the SHA-256 of the cached state encoding it was computed from, and served only while the
// cache returns that same encoding for the DID: a create, update, recovery, deactivation or rollback
// changes or drops the cached state, and the next resolution computes the answer again. The check reads
// the state cache on every request (memory, for the embedded store's recently served DIDs); it never
// trusts a time or the answer cache's own bookkeeping.
type Answers struct {
	r *Resolver

	mu     sync.Mutex
	lru    *simplelru.LRU[string, *answerEntry]
	bytes  int64
	budget int64
}

type answerEntry struct {
	suffix string
	state  [sha256.Size]byte // of the cached state encoding the answer was computed from
	answer *Answer
}

// answerSize counts Body's capacity, not its length: the serializer's slice grows in steps, and the
// budget is for memory held.
func answerSize(did string, a *Answer) int64 {
	return int64(len(did)+cap(a.Body)+len(a.ETag)) + answerOverhead
}

// NewAnswers returns r's answers, remembered within budget bytes (DefaultAnswerBytes when 0; none when
// negative, or when r has no state cache).
func NewAnswers(r *Resolver, budget int64) *Answers {
	if budget == 0 {
		budget = DefaultAnswerBytes
	}
	a := &Answers{r: r, budget: budget}
	if budget > 0 && r.Cache != nil {
		// The LRU's own entry limit is never reached: the byte budget evicts first.
		a.lru, _ = simplelru.NewLRU(int(min(budget/answerOverhead, 1<<30)), func(did string, e *answerEntry) {
			a.bytes -= answerSize(did, e.answer)
		})
	}
	return a
}

// Resolve is the resolver's Resolve, not remembered (for callers that need the parsed body).
func (a *Answers) Resolve(ctx context.Context, did string) (sidetree.Resolution, error) {
	return a.r.Resolve(ctx, did)
}

// Answer resolves did as Resolver.Resolve does, serialized. Errors are failures of the store.
func (a *Answers) Answer(ctx context.Context, did string) (*Answer, error) {
	if a.lru == nil {
		res, err := a.r.Resolve(ctx, did)
		if err != nil {
			return nil, err
		}
		return NewAnswer(res), nil
	}
	a.mu.Lock()
	e, ok := a.lru.Get(did)
	a.mu.Unlock()
	if ok {
		data, cached, err := a.r.Cache.CachedState(ctx, e.suffix)
		if err == nil && cached && sha256.Sum256(data) == e.state {
			return e.answer, nil
		}
	}
	res, parsed, data, cached, err := a.r.resolve(ctx, did)
	if err != nil {
		return nil, err
	}
	ans := NewAnswer(res)
	if cached {
		a.add(did, &answerEntry{suffix: parsed.Suffix, state: sha256.Sum256(data), answer: ans})
	}
	return ans, nil
}

func (a *Answers) add(did string, e *answerEntry) {
	size := answerSize(did, e.answer)
	if size > a.budget/8 {
		return // one huge answer must not flush everything else
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if old, ok := a.lru.Peek(did); ok {
		a.bytes -= answerSize(did, old.answer)
	}
	a.lru.Add(did, e)
	a.bytes += size
	for a.bytes > a.budget {
		if _, _, ok := a.lru.RemoveOldest(); !ok {
			break
		}
	}
}
