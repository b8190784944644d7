package node

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/worktest"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// fuzzRoutes is the node's whole handler (request ids, limits, timeouts, recovery) over an in-memory
// operation log holding one published DID, with a queue and the write guard open.
func fuzzRoutes(f testing.TB) (http.Handler, *sidetree.CreateRequest, *memoryQueue) {
	f.Helper()
	rec, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	upd, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	create, err := sidetree.NewCreateRequest("ion", rec, upd, sidetree.Document{}, sidetree.Mainnet().Latest())
	if err != nil {
		f.Fatal(err)
	}
	log := memoryLog{create.DIDSuffix: {{Type: sidetree.OpCreate, DIDSuffix: create.DIDSuffix, Raw: create.Body.Stringify(), TransactionNumber: 1}}}
	res := &ion.Resolver{Network: sidetree.Mainnet(), Log: log}
	q := &memoryQueue{}
	rt := &Routes{
		API:    &API{Network: sidetree.Mainnet(), Resolver: res, Queue: q, Guard: &WriteGuard{}, Version: "fuzz"},
		Driver: &Driver{Resolver: res},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	return rt.Handler(), create, q
}

// FuzzPostOperations posts arbitrary bodies to POST /operations: every answer is a status the API
// documents with a JSON body, and nothing is queued unless the answer is 200.
func FuzzPostOperations(f *testing.F) {
	h, create, q := fuzzRoutes(f)
	f.Add(create.Body.Stringify())
	f.Add([]byte(`{"type":"create","suffixData":{},"delta":{}}`))
	f.Add([]byte(`{"type":"update","didSuffix":"EiA","revealValue":"x","delta":{"patches":[]},"signedData":"a.b.c"}`))
	f.Add([]byte(`{"type":"deactivate","didSuffix":"","revealValue":"","signedData":""}`))
	f.Add([]byte(`{"__proto__":{"type":"create"}}`))
	f.Add([]byte(`[1,2,3]`))
	f.Add([]byte(strings.Repeat("[", 10000)))
	f.Add([]byte{0xff, 0xfe, 0})
	f.Fuzz(func(t *testing.T, body []byte) {
		before := q.len()
		req := httptest.NewRequest(http.MethodPost, "/operations", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 413:
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("body is not JSON for %q: %s", body, rec.Body)
		}
		if after := q.len(); rec.Code != 200 && after != before {
			t.Fatalf("status %d but the queue grew from %d to %d", rec.Code, before, after)
		}
	})
}

// FuzzResolveIdentifier sends arbitrary paths and conditional headers to GET /identifiers/{did}: the
// answer is one of ION's statuses with a JSON body (or a 304 for a matching ETag), and only a published
// DID is cacheable.
func FuzzResolveIdentifier(f *testing.F) {
	h, create, _ := fuzzRoutes(f)
	for _, seed := range []string{"did:ion:" + create.DIDSuffix, create.LongForm, "did:ion:test:" + create.DIDSuffix,
		"did:ion:EiAx", "did:web:example.com", "did:ion:" + create.DIDSuffix + "%3Aabc", "%zz", "did:ion:", "did:ion:EiA%00"} {
		f.Add(seed, "")
		f.Add(seed, `"x", *`)
	}
	f.Fuzz(func(t *testing.T, path, ifNoneMatch string) {
		req, err := http.NewRequest(http.MethodGet, "http://node/identifiers/"+path, nil)
		if err != nil {
			return // not a URL a client could send
		}
		req.Header.Set("If-None-Match", ifNoneMatch)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code == 404 && rec.Body.String() == "404 page not found\n" {
			return // no route matches (an empty DID, a "/" in it): the router's own answer
		}
		switch rec.Code {
		case 304:
			return
		case 200, 400, 404, 410, 500:
		case 301, 405: // gorilla's path cleaning; a path that is not this route
			return
		default:
			t.Fatalf("status %d for %q", rec.Code, path)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("body is not JSON for %q: %s", path, rec.Body)
		}
		if rec.Code != 200 && rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("status %d cacheable (%q) for %q", rec.Code, rec.Header().Get("Cache-Control"), path)
		}
	})
}

func (q *memoryQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}

// TestNestedBodiesAreCheap: a 64 KiB POST body of unclosed brackets once cost seconds of CPU (each
// nesting level of the reference-compatible parser converted the unread text again); any body within the
// route's cap is refused, at a cost linear in its nesting (counted in allocations, not wall time, which
// the machine's load decides).
func TestNestedBodiesAreCheap(t *testing.T) {
	h, _, _ := fuzzRoutes(t)
	post := func(body []byte) int {
		req := httptest.NewRequest(http.MethodPost, "/operations", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for _, body := range []string{
		strings.Repeat("[", maxOperationRequestBytes-1),
		strings.Repeat("[", 4999) + strings.Repeat(" ", maxOperationRequestBytes-5000),
		strings.Repeat(`{"a":`, 4999) + strings.Repeat(" ", 30000),
	} {
		if code := post([]byte(body)); code != 400 {
			t.Errorf("%.12q… (%d bytes): %d, want 400", body, len(body), code)
		}
	}
	for name, gen := range map[string]func(n int) []byte{
		"unclosed brackets": func(n int) []byte { return bytes.Repeat([]byte("["), n) },
		"unclosed objects":  func(n int) []byte { return bytes.Repeat([]byte(`{"a":`), n) },
	} {
		t.Run(name, func(t *testing.T) {
			// 2n levels stay within the request parser's depth limit and the route's size cap, so the
			// parser reads every level before it refuses the body.
			worktest.Linear(t, sidetree.RequestYieldableDepth/2, gen, func(body []byte) {
				if code := post(body); code != 400 {
					t.Fatalf("%d bytes: %d, want 400", len(body), code)
				}
			})
		})
	}
}
