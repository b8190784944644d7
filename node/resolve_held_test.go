package node_test

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/resolver/ion"
)

// countedAnswers counts the answers ion.Answers computes or checks through the store (Answer), as
// opposed to those it has at hand (AnswerHeld, promoted).
type countedAnswers struct {
	*ion.Answers
	answered atomic.Int64
}

func (c *countedAnswers) Answer(ctx context.Context, did string) (*ion.Answer, error) {
	c.answered.Add(1)
	return c.Answers.Answer(ctx, did)
}

// TestResolutionHeldAnswer: a resolution served from an answer at hand (no deadline, no store read)
// sends exactly what the same resolution sends through the store: status, body and headers, names and
// values, over a real connection; and a conditional request is answered 304 the same way.
func TestResolutionHeldAnswer(t *testing.T) {
	f := newResolveFixture(t, 1)
	counted := &countedAnswers{}
	srv := httptest.NewServer(f.routes(t, 0, func(r *ion.Resolver) node.DIDResolver {
		counted.Answers = ion.NewAnswers(r, 0)
		return counted
	}))
	defer srv.Close()
	get := func(base, etag string) answered {
		t.Helper()
		header := map[string]string{}
		if etag != "" {
			header["If-None-Match"] = etag
		}
		return send(t, http.DefaultClient, http.MethodGet, base+f.paths[0], header)
	}
	// The fixture's handler resolved the DID once (through the store); the state memo now holds it.
	viaStore := counted.answered.Load()
	if viaStore != 1 {
		t.Fatalf("the fixture's warm-up took Answer %d times", viaStore)
	}
	resp := get(srv.URL, "")
	if n := counted.answered.Load(); n != viaStore {
		t.Fatalf("a kept answer went through the store (%d Answer calls)", n)
	}
	etag := resp.header.Get("Etag")
	wantHeader := map[string]string{"Cache-Control": "public, max-age=30", "Content-Type": "application/json", "Etag": etag,
		"Content-Length": resp.header.Get("Content-Length"), "Date": resp.header.Get("Date"), "X-Request-Id": ""}
	checkHeader(t, "held", resp.header, wantHeader)
	if resp.status != http.StatusOK || len(etag) != 24 || len(resp.body) == 0 {
		t.Fatalf("held: %d, ETag %q, %d bytes", resp.status, etag, len(resp.body))
	}
	notModified := get(srv.URL, etag)
	checkHeader(t, "held, conditional", notModified.header, map[string]string{"Cache-Control": "public, max-age=30", "Etag": etag,
		"Date": notModified.header.Get("Date"), "X-Request-Id": ""})
	if notModified.status != http.StatusNotModified {
		t.Fatalf("held, conditional: %d", notModified.status)
	}

	// The same DID through the store: the kept answer is dropped, so Answer computes it again.
	plain := httptest.NewServer(f.routes(t, 0, func(r *ion.Resolver) node.DIDResolver { return r }))
	defer plain.Close()
	resp2 := get(plain.URL, "")
	wantHeader["Content-Length"], wantHeader["Date"] = resp.header.Get("Content-Length"), resp2.header.Get("Date")
	checkHeader(t, "through the store", resp2.header, wantHeader)
	if resp2.status != resp.status || resp2.body != resp.body {
		t.Fatalf("through the store: %d %s\nheld: %d %s", resp2.status, resp2.body, resp.status, resp.body)
	}
}

var generatedID = regexp.MustCompile(`^[0-9a-f]{16}$`)

// checkHeader: h has exactly the names of want, each with one value, want's (X-Request-Id: a
// generated id).
func checkHeader(t *testing.T, name string, h http.Header, want map[string]string) {
	t.Helper()
	if got, wantNames := slices.Sorted(maps.Keys(h)), slices.Sorted(maps.Keys(want)); !slices.Equal(got, wantNames) {
		t.Fatalf("%s: header names %q, want %q", name, got, wantNames)
	}
	for k, v := range want {
		if len(h[k]) != 1 || (k == "X-Request-Id" && !generatedID.MatchString(h[k][0])) || (k != "X-Request-Id" && h[k][0] != v) {
			t.Errorf("%s: %s: %q, want %q", name, k, h[k], v)
		}
	}
}

// FuzzResolveHeld: GET /identifiers/{did} answers through the node's wiring (ion.Answers over the
// embedded store, answers at hand served without a deadline) exactly as through a resolver that keeps
// no answers: status, body and every header but the request id's value, the first time and from the
// kept answers.
func FuzzResolveHeld(f *testing.F) {
	fx := newResolveFixture(f, 2)
	held := fx.handler(f, 0, true)
	plain := fx.routes(f, 0, func(r *ion.Resolver) node.DIDResolver { return r })
	for _, p := range fx.paths {
		did := strings.TrimPrefix(p, "/identifiers/")
		f.Add(did, "")
		f.Add(did+"x", "*")
		f.Add("did:ion:test:"+did[len("did:ion:"):], "")
	}
	f.Fuzz(func(t *testing.T, did, ifNoneMatch string) {
		req, err := http.NewRequest(http.MethodGet, "http://node/identifiers/"+did, nil)
		if err != nil {
			return // not a URL a client could send
		}
		req.Header.Set("If-None-Match", ifNoneMatch)
		for try := range 2 {
			want, got := httptest.NewRecorder(), httptest.NewRecorder()
			plain.ServeHTTP(want, req)
			held.ServeHTTP(got, req)
			wantHeader, gotHeader := want.Header().Clone(), got.Header().Clone()
			delete(wantHeader, "X-Request-Id")
			delete(gotHeader, "X-Request-Id")
			if got.Code != want.Code || got.Body.String() != want.Body.String() || !maps.EqualFunc(gotHeader, wantHeader, slices.Equal) {
				t.Fatalf("%q, try %d: %d %v %s\nwant %d %v %s", did, try, got.Code, gotHeader, got.Body, want.Code, wantHeader, want.Body)
			}
		}
	})
}

// TestResolutionsConcurrent: concurrent resolutions of different DIDs, served from recycled answers
// and per-request header values, each get their own DID's body, ETag and a request id of their own.
func TestResolutionsConcurrent(t *testing.T) {
	f := newResolveFixture(t, 8)
	srv := httptest.NewServer(f.handler(t, 0, true))
	defer srv.Close()
	type answer struct{ body, etag string }
	get := func(path string) (answer, string, error) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			return answer{}, "", err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return answer{string(body), resp.Header.Get("Etag")}, resp.Header.Get("X-Request-Id"), err
	}
	want := map[string]answer{}
	for _, p := range f.paths {
		a, _, err := get(p)
		if err != nil || a.etag == "" || !strings.Contains(a.body, strings.TrimPrefix(p, "/identifiers/")) {
			t.Fatalf("%s: %v %+v", p, err, a)
		}
		want[p] = a
	}
	const workers, each = 4, 100
	errs := make(chan error, workers)
	ids := make(chan string, workers*each)
	for w := range workers {
		go func() {
			for i := range each {
				p := f.paths[(w+i)%len(f.paths)]
				got, id, err := get(p)
				if err == nil && got != want[p] {
					err = fmt.Errorf("%s: ETag %s and %d bytes, want %s and %d", p, got.etag, len(got.body), want[p].etag, len(want[p].body))
				}
				if err != nil {
					errs <- err
					return
				}
				ids <- id
			}
			errs <- nil
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if !generatedID.MatchString(id) || seen[id] {
			t.Fatalf("request id %q (seen before: %v)", id, seen[id])
		}
		seen[id] = true
	}
}
