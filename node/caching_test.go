package node

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// TestCachingPolicy: on both resolution APIs, a published DID may be cached briefly; a deactivated, not
// found, unpublished or invalid one may not be stored.
func TestCachingPolicy(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	live, gone, unpublished := newCreate(t), newCreate(t), newCreate(t)
	deactivate, err := sidetree.NewDeactivateRequest(gone.req.DIDSuffix, gone.rec, p)
	if err != nil {
		t.Fatal(err)
	}
	log := memoryLog{
		live.req.DIDSuffix: {{Type: sidetree.OpCreate, DIDSuffix: live.req.DIDSuffix, Raw: live.req.Body.Stringify(), TransactionNumber: 1}},
		gone.req.DIDSuffix: {
			{Type: sidetree.OpCreate, DIDSuffix: gone.req.DIDSuffix, Raw: gone.req.Body.Stringify(), TransactionNumber: 1},
			{Type: sidetree.OpDeactivate, DIDSuffix: gone.req.DIDSuffix, Raw: deactivate.Stringify(), TransactionNumber: 2},
		},
	}
	res := &ion.Resolver{Network: sidetree.Mainnet(), Log: log}
	rt := &Routes{API: &API{Network: sidetree.Mainnet(), Resolver: res, Version: "t"}, Driver: &Driver{Resolver: res},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(rt.Handler())
	defer srv.Close()

	tests := []struct {
		name      string
		did       string
		status    int
		cacheable bool
	}{
		{"published", "did:ion:" + live.req.DIDSuffix, 200, true},
		{"deactivated", "did:ion:" + gone.req.DIDSuffix, 410, false},
		{"not found", "did:ion:" + unpublished.req.DIDSuffix, 404, false},
		{"unpublished long form", unpublished.req.LongForm, 200, false},
		{"invalid long form", "did:ion:" + live.req.DIDSuffix + ":e30", 400, false},
	}
	for _, tc := range tests {
		for _, prefix := range []string{"/identifiers/", "/1.0/identifiers/"} {
			resp, err := http.Get(srv.URL + prefix + tc.did)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			cc, etag := resp.Header.Get("Cache-Control"), resp.Header.Get("ETag")
			if resp.StatusCode != tc.status {
				t.Errorf("%s %s: status %d, want %d", prefix, tc.name, resp.StatusCode, tc.status)
			}
			switch {
			case tc.cacheable && cc != resolutionMaxAge:
				t.Errorf("%s %s: Cache-Control %q, want %q", prefix, tc.name, cc, resolutionMaxAge)
			case tc.cacheable && prefix == "/identifiers/" && etag == "":
				t.Errorf("%s %s: no ETag", prefix, tc.name)
			case !tc.cacheable && (cc != "no-store" || etag != ""):
				t.Errorf("%s %s: Cache-Control %q, ETag %q; want no-store and none", prefix, tc.name, cc, etag)
			}
		}
	}
}

type createFixture struct {
	req *sidetree.CreateRequest
	rec sidetree.JWK
}

func newCreate(t *testing.T) createFixture {
	t.Helper()
	rec, upd := testKey(t, rand.Reader), testKey(t, rand.Reader)
	req, err := sidetree.NewCreateRequest("ion", rec, upd, sidetree.Document{}, sidetree.Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	return createFixture{req, rec}
}

// TestConditionalResolution: If-None-Match matches the answer's ETag, strong or weak, in a list or
// alone, or "*"; anything else gets the answer. Matching allocates nothing.
func TestConditionalResolution(t *testing.T) {
	ans := &ion.Answer{Status: 200, Published: true, ETag: `"abc"`}
	for inm, match := range map[string]bool{
		`"abc"`: true, `W/"abc"`: true, `*`: true, `"x", "abc"`: true, ` "x" ,W/"abc" `: true, `"x",*`: true,
		`"x"`: false, `"ab"`: false, `W/W/"abc"`: false, `w/"abc"`: false, `"abc`: false, `,`: false, `"abc""abc"`: false,
	} {
		r := httptest.NewRequest(http.MethodGet, "/identifiers/did:ion:EiA", nil)
		r.Header.Set("If-None-Match", inm)
		w := httptest.NewRecorder()
		if done := cacheResolution(w, r, ans); done != match || (match && w.Code != http.StatusNotModified) {
			t.Errorf("If-None-Match %s: answered %v (%d), want %v", inm, done, w.Code, match)
		}
		if w.Header().Get("Etag") != ans.ETag || w.Header().Get("Cache-Control") != resolutionMaxAge {
			t.Errorf("If-None-Match %s: headers %v", inm, w.Header())
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/identifiers/did:ion:EiA", nil)
	r.Header.Set("If-None-Match", `"x", "y", W/"z"`)
	w := httptest.NewRecorder()
	rec, h := &statusRecorder{ResponseWriter: w}, w.Header() // withRequestLog's: the ETag's value in it
	if n := testing.AllocsPerRun(100, func() {
		clear(h)
		cacheResolution(rec, r, ans)
	}); n != 0 {
		t.Errorf("matching allocates %v times", n)
	}
}
