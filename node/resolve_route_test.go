package node

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/sidetree"
)

// TestResolveRouteAgreesWithMux: every request answers the same through the resolution fast path as
// through the router alone: the paths it takes, and the ones it must leave to the router (other
// methods, encoded slashes, paths the router cleans or redirects, other DID methods).
func TestResolveRouteAgreesWithMux(t *testing.T) {
	rt := &Routes{API: &API{Network: sidetree.Mainnet(), Resolver: seenDID{}, Version: "test"}}
	router := rt.router()
	fast := resolveRoute(rt.API, time.Minute, router)
	// The fast path is taken: it answers without the router.
	w := httptest.NewRecorder()
	resolveRoute(rt.API, time.Minute, http.NotFoundHandler()).ServeHTTP(w, httptest.NewRequest("GET", "/identifiers/did:ion:EiA", nil))
	if w.Code != http.StatusOK || w.Body.String() != `"did:ion:EiA"` {
		t.Fatalf("fast path not taken: %d %s", w.Code, w.Body)
	}
	for _, tc := range []struct{ method, target string }{
		{"GET", "/identifiers/did:ion:EiA"},
		{"GET", "/identifiers/did:ion:EiA?x=1"},
		{"GET", "/identifiers/did:ion:EiA%3Aabc"},
		{"GET", "/identifiers/did%3Aion%3AEiA"},
		{"GET", "/identifiers/did:ion:EiA%2Fx"},
		{"GET", "/identifiers/did:ion:EiA%23key-1"},
		{"GET", "/identifiers/did:ion:EiA/operations"},
		{"GET", "/identifiers/did:ion:"},
		{"GET", "/identifiers/did:ion:EiA/"},
		{"GET", "/identifiers//did:ion:EiA"},
		{"GET", "/identifiers/./did:ion:EiA"},
		{"GET", "/identifiers/did:ion:EiA/.."},
		{"GET", "/identifiers/did:web:example.com"},
		{"GET", "/identifiers/did:ion-test:EiA"},
		{"GET", "/Identifiers/did:ion:EiA"},
		{"GET", "/identifiers/"},
		{"HEAD", "/identifiers/did:ion:EiA"},
		{"POST", "/identifiers/did:ion:EiA"},
		{"OPTIONS", "/identifiers/did:ion:EiA"},
	} {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			serve := func(h http.Handler) *httptest.ResponseRecorder {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(tc.method, tc.target, strings.NewReader("")))
				return w
			}
			want, got := serve(router), serve(fast)
			if got.Code != want.Code || got.Body.String() != want.Body.String() {
				t.Fatalf("fast path: %d %q; router: %d %q", got.Code, got.Body, want.Code, want.Body)
			}
			for _, h := range []string{"Content-Type", "Cache-Control", "Etag", "Location", "Allow"} {
				if got.Header().Get(h) != want.Header().Get(h) {
					t.Errorf("%s: fast path %q, router %q", h, got.Header().Get(h), want.Header().Get(h))
				}
			}
		})
	}
}
