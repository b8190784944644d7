package httpserve

import (
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/valyala/fasthttp"
)

// TestFastAndCount: Fast answers what it takes, without the handler; the rest reaches the handler;
// Count runs once per request on both paths.
func TestFastAndCount(t *testing.T) {
	var handled, counted atomic.Int64
	s := New(testConfig(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled.Add(1)
		w.Write([]byte("slow"))
	}))
	s.SetFast(func(ctx *fasthttp.RequestCtx) bool {
		if string(ctx.Path()) != "/fast" {
			return false
		}
		ctx.SetContentType("text/plain")
		ctx.SetBodyString("fast")
		return true
	})
	s.SetCount(func() { counted.Add(1) })
	addr := serveOn(t, s)
	for i, tc := range []struct{ path, body string }{{"/fast", "fast"}, {"/other", "slow"}, {"/fast", "fast"}} {
		_, body := roundTrip(t, addr, "GET "+tc.path+" HTTP/1.1\r\nHost: h\r\n\r\n")
		if body != tc.body {
			t.Errorf("%s: %q, want %q", tc.path, body, tc.body)
		}
		if counted.Load() != int64(i+1) {
			t.Errorf("after %d requests Count ran %d times", i+1, counted.Load())
		}
	}
	if handled.Load() != 1 {
		t.Errorf("the handler ran %d times, want once", handled.Load())
	}
}

// TestFastPanics: a panic in the native hook fails its request with 500, and the server goes on.
func TestFastPanics(t *testing.T) {
	s := New(testConfig(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	s.SetFast(func(ctx *fasthttp.RequestCtx) bool {
		if string(ctx.Path()) == "/boom" {
			ctx.Response.Header.Set("X-Half", "1")
			ctx.SetBodyString("half an answer")
			panic("boom")
		}
		return false
	})
	addr := serveOn(t, s)
	if resp, body := roundTrip(t, addr, "GET /boom HTTP/1.1\r\nHost: h\r\n\r\n"); resp.StatusCode != http.StatusInternalServerError || body == "half an answer" || resp.Header.Get("X-Half") != "" {
		t.Errorf("a panicking hook: %d %q", resp.StatusCode, body)
	}
	if resp, body := roundTrip(t, addr, "GET /fine HTTP/1.1\r\nHost: h\r\n\r\n"); resp.StatusCode != 200 || body != "ok" {
		t.Errorf("after a panic: %d %q", resp.StatusCode, body)
	}
}
