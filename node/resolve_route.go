package node

import (
	"net/http"
	"strings"
)

// resolveRoute sends GET /identifiers/did:ion:<anything without a slash> straight to api.resolve, and
// every other request to router. It is the route gorilla/mux would choose for those paths (the API's
// routes are registered first, "/identifiers/{did}" matches one clean path segment of the decoded
// path, and a path with no further slash needs no cleaning redirect), minus what mux costs per request:
// a regular expression per route tried, a map of variables, and two contexts with two copies of the
// request to carry them (7 of the 39 allocations of a resolution, BenchmarkResolveHandler). Resolution
// is the request a node serves most; TestResolveRouteAgreesWithMux holds the two routes together.
func resolveRoute(api *API, router http.Handler) http.Handler {
	if api == nil {
		return router
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			if did, ok := strings.CutPrefix(r.URL.Path, "/identifiers/"); ok && strings.HasPrefix(did, "did:ion:") && !strings.Contains(did, "/") {
				api.resolve(w, r, did)
				return
			}
		}
		router.ServeHTTP(w, r)
	})
}
