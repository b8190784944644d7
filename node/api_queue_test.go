package node

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/mux"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// slowQueue takes a while to store an operation, as a database does: long enough for concurrent
// requests to all read the same depth if the check and the enqueue were apart.
type slowQueue struct{ memoryQueue }

func (q *slowQueue) Enqueue(ctx context.Context, suffix string, t sidetree.OperationType, req []byte) error {
	time.Sleep(20 * time.Millisecond)
	return q.memoryQueue.Enqueue(ctx, suffix, t, req)
}

func (q *slowQueue) QueueDepth(context.Context) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending), nil
}

func TestQueueCapIsAtomic(t *testing.T) {
	q := &slowQueue{}
	api := &API{Network: sidetree.Mainnet(), Resolver: &ion.Resolver{Network: sidetree.Mainnet(), Log: memoryLog{}}, Queue: q, MaxQueueDepth: 3}
	r := mux.NewRouter()
	api.Register(r)
	const clients = 12
	bodies := make([][]byte, clients)
	for i := range bodies {
		bodies[i] = createBody(t)
	}
	var wg sync.WaitGroup
	codes := make([]int, clients)
	for i := range clients {
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodPost, "/operations", bytes.NewReader(bodies[i]))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			codes[i] = rec.Code
		})
	}
	wg.Wait()
	if depth, _ := q.QueueDepth(context.Background()); depth != 3 {
		t.Fatalf("%d operations queued under a cap of 3 (answers %v)", depth, codes)
	}
	full := 0
	for _, c := range codes {
		if c == http.StatusServiceUnavailable {
			full++
		}
	}
	if full != clients-3 {
		t.Fatalf("%d answers queue_full, want %d (answers %v)", full, clients-3, codes)
	}
}

// TestCreateOfAnchoredDIDRefused: a create for a DID whose create is anchored can change nothing (the
// first create wins) and would cost a fee: 400 did_already_anchored, nothing queued.
func TestCreateOfAnchoredDIDRefused(t *testing.T) {
	create, anchoredOps, _ := historyScenario(t)
	log := memoryLog{create.DIDSuffix: anchoredOps[:1]}
	q := &memoryQueue{}
	api := &API{Network: sidetree.Mainnet(), Resolver: &ion.Resolver{Network: sidetree.Mainnet(), Log: log}, Queue: q, Log: log}
	r := mux.NewRouter()
	api.Register(r)
	post := func(body []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/operations", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec
	}
	rec := post(create.Body.Stringify())
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"code":"did_already_anchored"`) {
		t.Fatalf("status %d %s", rec.Code, rec.Body.String())
	}
	if len(q.pending) != 0 {
		t.Fatal("the create was queued")
	}
	if rec := post(createBody(t)); rec.Code != http.StatusOK {
		t.Fatalf("a new DID's create: %d %s", rec.Code, rec.Body.String())
	}
}
