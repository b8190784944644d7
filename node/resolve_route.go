package node

import (
	"net/http"
	"strings"
	"time"
)

// resolveRoute sends GET /identifiers/did:ion:<anything without a slash> straight to api.resolve, and
// every other request to router, each under the request's deadline (withDeadline). It is the route
// gorilla/mux would choose for those paths (the API's routes are registered first, "/identifiers/{did}"
// matches one clean path segment of the decoded path, and a path with no further slash needs no
// cleaning redirect), minus what mux costs per request: a regular expression per route tried, a map of
// variables, and two contexts with two copies of the request to carry them (7 of the 39 allocations of
// a resolution, BenchmarkResolveHandler). Resolution is the request a node serves most;
// TestResolveRouteAgreesWithMux holds the two routes together.
//
// An answer at hand (api.resolveHeld: kept, and current by a generation held in memory) is served
// without the deadline's context: serving it reads memory and writes to the connection, which no
// context bounds (the server's WriteTimeout does), so a deadline there would bound nothing. Every other
// resolution, which may read the store (MongoDB's generation check is a network round trip even when
// the answer is kept), gets the deadline as every other route does.
func resolveRoute(api *API, timeout time.Duration, router http.Handler) http.Handler {
	routed := withDeadline(timeout, router)
	if api == nil {
		return routed
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			if did, ok := strings.CutPrefix(r.URL.Path, "/identifiers/"); ok && strings.HasPrefix(did, "did:ion:") && !strings.Contains(did, "/") {
				if api.resolveHeld(w, r, did) {
					return
				}
				r, cancel := withRequestContext(w, r, timeout)
				defer cancel()
				api.resolve(w, r, did)
				return
			}
		}
		routed.ServeHTTP(w, r)
	})
}
