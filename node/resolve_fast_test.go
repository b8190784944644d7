package node_test

import (
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/resolver/ion"
)

// fastPair serves one set of routes twice: through net/http (Handler) and through fasthttp with
// FastResolution offered every request first and Handler behind it, as node/daemon serves them.
type fastPair struct {
	plain, fast string        // base URLs
	taken       *atomic.Int64 // requests FastResolution answered
	client      *http.Client
}

func newFastPair(t testing.TB, f *resolveFixture, cors []string) *fastPair {
	t.Helper()
	rt := f.routesOf(t, 0, func(r *ion.Resolver) node.DIDResolver { return ion.NewAnswers(r, 0) })
	rt.CORSOrigins = cors
	h := f.warm(t, rt)
	answer := rt.FastResolution()
	if answer == nil {
		t.Fatal("no fast resolution over ion.Answers")
	}
	plain := httptest.NewServer(h)
	t.Cleanup(plain.Close)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &fastPair{plain: plain.URL, fast: "http://" + l.Addr().String(), taken: new(atomic.Int64), client: &http.Client{}}
	serveFast(t, l, h, counted(answer, p.taken))
	t.Cleanup(p.client.CloseIdleConnections)
	return p
}

// counted is answer, counting in taken the requests it takes.
func counted(answer func(*fasthttp.RequestCtx) bool, taken *atomic.Int64) func(*fasthttp.RequestCtx) bool {
	return func(c *fasthttp.RequestCtx) bool {
		if answer(c) {
			taken.Add(1)
			return true
		}
		return false
	}
}

// bodyKey in a request's header map of the tests below is the request's body instead.
const bodyKey = "(body)"

type answered struct {
	status int
	header http.Header
	body   string
}

func (p *fastPair) do(t testing.TB, base, method, target string, header map[string]string) answered {
	t.Helper()
	return send(t, p.client, method, base+target, header)
}

// send sends one request (header[bodyKey]: its body) and reads the whole answer.
func send(t testing.TB, client *http.Client, method, url string, header map[string]string) answered {
	t.Helper()
	var reqBody io.Reader
	if b, ok := header[bodyKey]; ok {
		reqBody = strings.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url, reqBody)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k != bodyKey {
			req.Header.Set(k, v)
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answered{resp.StatusCode, resp.Header, string(body)}
}

// compare sends one request to both servers and fails unless they answer alike: status, body, every
// header name and value but Date's, Content-Length's and a generated request id's (wantID: the id the client gave, kept).
// It reports whether FastResolution took the request.
func (p *fastPair) compare(t testing.TB, method, target string, header map[string]string, wantID string) bool {
	t.Helper()
	before := p.taken.Load()
	got := p.do(t, p.fast, method, target, header)
	fast := p.taken.Load() != before
	want := p.do(t, p.plain, method, target, header)
	for _, a := range []answered{got, want} {
		id := a.header.Get("X-Request-Id")
		if (wantID != "" && id != wantID) || (wantID == "" && !generatedID.MatchString(id)) {
			t.Errorf("%s %s: X-Request-Id %q, want %q", method, target, id, wantID)
		}
		delete(a.header, "X-Request-Id")
		delete(a.header, "Date")
		// The body's framing: net/http sends a body over its 2 KiB buffer chunked when the handler gives
		// no length, fasthttp with its length. The bodies themselves are compared.
		delete(a.header, "Content-Length")
	}
	if got.status != want.status || got.body != want.body || !maps.EqualFunc(got.header, want.header, slices.Equal) {
		t.Fatalf("%s %s %v (fast path %v):\n got %d %v %.200s\nwant %d %v %.200s", method, target, header, fast, got.status, got.header, got.body, want.status, want.header, want.body)
	}
	return fast
}

// TestFastResolutionAgrees: what FastResolution answers, and what it leaves to Handler behind fasthttp,
// is what Handler answers behind net/http, request by request; it takes only GETs of answers at hand
// with nothing for the rest of the chain to do.
func TestFastResolutionAgrees(t *testing.T) {
	f := newResolveFixture(t, 2)
	p := newFastPair(t, f, []string{"https://app.example"})
	did := f.paths[0]
	etag := p.do(t, p.plain, http.MethodGet, did, nil).header.Get("Etag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	tests := []struct {
		name, method, target string
		header               map[string]string
		wantID               string
		fast                 bool
	}{
		{"held", "GET", did, nil, "", true},
		{"held, another", "GET", f.paths[1], nil, "", true},
		{"client's id kept", "GET", did, map[string]string{"X-Request-Id": "trace-42.a_b"}, "trace-42.a_b", true},
		{"client's id replaced", "GET", did, map[string]string{"X-Request-Id": "not an id!"}, "", true},
		{"conditional, matching", "GET", did, map[string]string{"If-None-Match": etag}, "", true},
		{"conditional, weak", "GET", did, map[string]string{"If-None-Match": "W/" + etag}, "", true},
		{"conditional, any", "GET", did, map[string]string{"If-None-Match": "*"}, "", true},
		{"conditional, in a list", "GET", did, map[string]string{"If-None-Match": `"x", ` + etag}, "", true},
		{"conditional, other", "GET", did, map[string]string{"If-None-Match": `"other"`}, "", true},
		{"query ignored", "GET", did + "?x=1", nil, "", true},
		{"unknown DID", "GET", "/identifiers/did:ion:EiDahaOGH-liLLdDtTxEAdc8i-cfCz-WUcQdRJheMVNn3A", nil, "", false},
		{"invalid DID", "GET", "/identifiers/did:ion:x", nil, "", false},
		{"encoded", "GET", strings.Replace(did, "did:ion:", "did%3Aion:", 1), nil, "", false},
		{"a further segment", "GET", did + "/x", nil, "", false},
		{"HEAD", "HEAD", did, nil, "", false},
		{"POST", "POST", did, nil, "", false},
		{"CORS origin", "GET", did, map[string]string{"Origin": "https://app.example"}, "", false},
		{"other origin", "GET", did, map[string]string{"Origin": "https://evil.example"}, "", false},
		{"another route", "GET", "/healthz", nil, "", false},
		{"GET with a body", "GET", did, map[string]string{bodyKey: "{}"}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if fast := p.compare(t, tc.method, tc.target, tc.header, tc.wantID); fast != tc.fast {
				t.Errorf("fast path took it: %v, want %v", fast, tc.fast)
			}
		})
	}
}

// TestFastResolutionWithoutCORS: with no CORS origins configured the chain adds nothing for an Origin
// header, so the fast path takes such a request too, and still answers as Handler does.
func TestFastResolutionWithoutCORS(t *testing.T) {
	f := newResolveFixture(t, 1)
	p := newFastPair(t, f, nil)
	if !p.compare(t, "GET", f.paths[0], map[string]string{"Origin": "https://app.example"}, "") {
		t.Error("the fast path left a request with an Origin to Handler without CORS origins")
	}
}

// TestFastResolutionNeedsHeldAnswers: over a resolver with no answers at hand there is no fast path.
func TestFastResolutionNeedsHeldAnswers(t *testing.T) {
	f := newResolveFixture(t, 1)
	rt := f.routesOf(t, 0, func(r *ion.Resolver) node.DIDResolver { return r })
	if rt.FastResolution() != nil {
		t.Error("a fast path over a resolver without answers at hand")
	}
	if (&node.Routes{Logger: slog.New(slog.DiscardHandler)}).FastResolution() != nil {
		t.Error("a fast path without an API")
	}
}

// FuzzFastResolution: any DID path, If-None-Match and X-Request-Id get the same answer from the fast
// path (or Handler behind it) as from Handler behind net/http.
func FuzzFastResolution(f *testing.F) {
	fx := newResolveFixture(f, 2)
	p := newFastPair(f, fx, []string{"https://app.example"})
	for _, path := range fx.paths {
		did := strings.TrimPrefix(path, "/identifiers/")
		f.Add(did, "", "")
		f.Add(did, "*", "id-1")
		f.Add(did+"x", `"a"`, "")
		f.Add("did:ion:test:"+did[len("did:ion:"):], "", "bad id")
	}
	f.Fuzz(func(t *testing.T, did, ifNoneMatch, requestID string) {
		target := "/identifiers/" + did
		if _, err := http.NewRequest(http.MethodGet, "http://node"+target, nil); err != nil || !validTarget(target) {
			return // not a request a client could send (the transports refuse those, each with its own words)
		}
		if len(target)+len(ifNoneMatch)+len(requestID) > 4<<10 {
			return // over the header limit: the transport's to refuse
		}
		header := map[string]string{}
		if ifNoneMatch != "" {
			header["If-None-Match"] = ifNoneMatch
		}
		wantID := ""
		if requestID != "" {
			header["X-Request-Id"] = requestID
			if len(requestID) <= 64 && strings.Trim(requestID, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == "" {
				wantID = requestID
			}
		}
		for k, v := range header {
			if !validHeaderValue(v) {
				delete(header, k)
				if k == "X-Request-Id" {
					wantID = ""
				}
			}
		}
		p.compare(t, http.MethodGet, target, header, wantID)
	})
}

// validTarget: a request target of visible ASCII characters but '#' (which a client never sends).
func validTarget(target string) bool {
	for i := range len(target) {
		if c := target[i]; c <= ' ' || c >= 0x7f || c == '#' {
			return false
		}
	}
	return true
}

// validHeaderValue: a value net/http's client sends (no control characters, no leading or trailing
// space, which servers trim).
func validHeaderValue(v string) bool {
	if strings.TrimSpace(v) != v {
		return false
	}
	for i := range len(v) {
		if c := v[i]; c < ' ' || c == 0x7f {
			return false
		}
	}
	return true
}
