package ion

import (
	"testing"
)

// TestAnswersBudgetCountsReplacements: an answer replaced under the same DID (a new generation) is
// uncounted, so the bytes counted stay the bytes held however often a DID changes, and the budget keeps
// holding other DIDs' answers.
func TestAnswersBudgetCountsReplacements(t *testing.T) {
	a := &Answers{lru: newAnswerLRU(1 << 20)}
	entry := func(gen uint64) *answerEntry {
		return &answerEntry{suffix: "EiA", generation: gen, answer: &Answer{Status: 200, Body: make([]byte, 1000)}}
	}
	a.add("did:ion:other", entry(1))
	for gen := range uint64(5000) {
		a.add("did:ion:EiA", entry(gen))
	}
	var held int64
	for _, did := range a.lru.Keys() {
		e, _ := a.lru.Peek(did)
		held += e.size(did)
	}
	if a.lru.Bytes() != held {
		t.Fatalf("counted %d bytes, holding %d", a.lru.Bytes(), held)
	}
	if _, ok := a.lru.Peek("did:ion:other"); !ok {
		t.Fatal("another DID's answer was evicted by one DID's replacements")
	}
}
