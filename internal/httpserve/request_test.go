package httpserve

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// TestHandlerKeepsItsStrings: what a handler keeps of a request (a path as a cache key, a header in a
// log written later) stays as it was after the connection's next requests reuse fasthttp's buffers,
// and its context ends when it returns.
func TestHandlerKeepsItsStrings(t *testing.T) {
	var mu sync.Mutex
	var kept []string
	var ctxs []context.Context
	_, addr := start(t, testConfig(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		kept = append(kept, r.Method+" "+r.URL.Path+" "+r.URL.RawQuery+" "+r.Host+" "+r.RequestURI+" "+r.Header.Get("X-Id"))
		// The concatenation above copies; keep the request's own strings too.
		kept = append(kept, r.URL.Path, r.Header.Get("X-Id"), r.Host, r.URL.RawQuery, r.Proto)
		ctxs = append(ctxs, r.Context())
		mu.Unlock()
	}))
	c := dial(t, addr)
	br := bufio.NewReader(c)
	var want []string
	for i := range 20 {
		method, proto := []string{"GET", "PUT"}[i%2], []string{"HTTP/1.1", "HTTP/1.0"}[i%2]
		path, query, host, id := fmt.Sprintf("/p%02d", i), fmt.Sprintf("q=%02d", i), fmt.Sprintf("h%02d", i), fmt.Sprintf("id-%02d", i)
		fmt.Fprintf(c, "%s %s?%s %s\r\nHost: %s\r\nX-Id: %s\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n", method, path, query, proto, host, id)
		readAnswer(t, br, method)
		want = append(want, method+" "+path+" "+query+" "+host+" "+path+"?"+query+" "+id, path, id, host, query, proto)
	}
	mu.Lock()
	defer mu.Unlock()
	for i := range want {
		if kept[i] != want[i] {
			t.Errorf("kept %q, the request had %q", kept[i], want[i])
		}
	}
	for i, ctx := range ctxs {
		if ctx.Err() == nil {
			t.Errorf("request %d: its context lives on after the handler returned", i)
		}
	}
}
