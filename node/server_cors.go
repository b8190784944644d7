package node

import (
	"net/http"
	"slices"
	"strings"
)

// withCORS lets the listed origins call the API from a browser. The explorer is served by the node
// itself (same origin) and needs none; an empty list sends no CORS headers at all, so browsers keep
// other sites' pages from reading the node's answers. "*" allows every origin. Credentials (cookies) are
// never allowed: the write routes take bearer tokens in a header a page must set itself.
func withCORS(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	any := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		allowed := any || slices.Contains(origins, origin)
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if !allowed {
			if preflight {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r) // the browser withholds the answer from the page
			return
		}
		if any {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Set("Access-Control-Allow-Origin", origin)
		}
		if preflight {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST")
			h.Set("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type, If-None-Match, X-Request-Id")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.Set("Access-Control-Expose-Headers", strings.Join([]string{"ETag", "Retry-After", "X-Request-Id"}, ", "))
		next.ServeHTTP(w, r)
	})
}

// withBodyLimit caps every request body, whatever the route reads (routes apply tighter caps of
// their own): a client cannot make a handler buffer an unbounded body.
func withBodyLimit(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit {
			writeJSON(w, http.StatusRequestEntityTooLarge, TooLargeBody())
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// TooLargeBody is the answer's body (JSON, status 413) to a request body over the node's limit: what
// withBodyLimit answers, and the transport (internal/httpserve) when it refuses such a body before any
// handler runs.
func TooLargeBody() []byte {
	return errorBody("request_too_large", "the request body is too large")
}
