package node

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestHandlerContext: every handler gets its request's id and the configured deadline in its context.
func TestHandlerContext(t *testing.T) {
	for _, timeout := range []time.Duration{0, 3 * time.Second} {
		var id string
		var left time.Duration
		rt := &Routes{RequestTimeout: timeout, Credentials: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id = RequestID(r.Context())
			if d, ok := r.Context().Deadline(); ok {
				left = time.Until(d)
			}
		})}
		req := httptest.NewRequest(http.MethodGet, "/credentials/x", nil)
		req.Header.Set("X-Request-Id", "req-1")
		rt.Handler().ServeHTTP(httptest.NewRecorder(), req)
		want := timeout
		if want == 0 {
			want = 30 * time.Second // the default
		}
		if id != "req-1" || left <= want-time.Second || left > want {
			t.Errorf("timeout %v: handler saw id %q and %v to its deadline", timeout, id, left)
		}
	}
}
