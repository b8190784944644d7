package httpserve

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// TestLimits: a header over MaxHeaderBytes gets 431 and a body over MaxBodyBytes TooLarge's answer,
// neither reaching the handler; a body at the limit reaches it whole.
func TestLimits(t *testing.T) {
	var ran atomic.Int64
	cfg := testConfig()
	cfg.TooLarge = func(ctx *fasthttp.RequestCtx) {
		ctx.SetStatusCode(http.StatusRequestEntityTooLarge)
		ctx.SetContentType("application/json")
		ctx.SetBodyString(`{"code":"request_too_large"}`)
	}
	_, addr := start(t, cfg, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran.Add(1)
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%d", len(b))
	}))
	limit := int(cfg.MaxBodyBytes)
	chunked := func(n int) string {
		return fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", n, strings.Repeat("a", n))
	}
	post := "POST /operations HTTP/1.1\r\nHost: h\r\n"
	for _, tc := range []struct {
		name, raw  string
		status     int
		body       string
		handlerRan bool
	}{
		{"header over the limit", "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + strings.Repeat("b", cfg.MaxHeaderBytes+4096) + "\r\n\r\n", 431, "", false},
		{"header under the limit", "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + strings.Repeat("b", cfg.MaxHeaderBytes-100) + "\r\n\r\n", 200, "0", true},
		{"body over the limit by Content-Length", post + fmt.Sprintf("Content-Length: %d\r\n\r\n", limit+1) + strings.Repeat("a", limit+1), 413, `{"code":"request_too_large"}`, false},
		{"body over the limit, chunked", post + "Transfer-Encoding: chunked\r\n\r\n" + chunked(limit+1), 413, `{"code":"request_too_large"}`, false},
		{"body at the limit", post + fmt.Sprintf("Content-Length: %d\r\n\r\n", limit) + strings.Repeat("a", limit), 200, fmt.Sprint(limit), true},
		{"body at the limit, chunked", post + "Transfer-Encoding: chunked\r\n\r\n" + chunked(limit), 200, fmt.Sprint(limit), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := ran.Load()
			resp, body := roundTrip(t, addr, tc.raw)
			if resp.StatusCode != tc.status || (tc.body != "" && body != tc.body) {
				t.Errorf("%d %q, want %d %q", resp.StatusCode, body, tc.status, tc.body)
			}
			if got := ran.Load() > before; got != tc.handlerRan {
				t.Errorf("handler ran: %v", got)
			}
		})
	}
	// Without TooLarge: a plain 413.
	cfg.TooLarge = nil
	_, plain := start(t, cfg, http.NotFoundHandler())
	if resp, _ := roundTrip(t, plain, post+fmt.Sprintf("Content-Length: %d\r\n\r\n", limit+1)); resp.StatusCode != 413 {
		t.Errorf("without TooLarge: %d", resp.StatusCode)
	}
}

// TestTimeouts: silent, slow and idle clients are cut off by the configured timeouts, long before
// the client's own deadline (far beyond them, so a loaded machine cannot blur which one ended the wait).
func TestTimeouts(t *testing.T) {
	const short, long = 300 * time.Millisecond, time.Minute
	cfg := testConfig()
	cfg.ReadHeaderTimeout, cfg.ReadTimeout, cfg.IdleTimeout, cfg.WriteTimeout = short, 5*short, 2*short, long
	_, addr := start(t, cfg, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Write(b)
	}))
	t.Run("body slower than the header timeout, within ReadTimeout", func(t *testing.T) {
		c := dial(t, addr)
		io.WriteString(c, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n")
		time.Sleep(2 * short) // past ReadHeaderTimeout: only ReadTimeout may bound the body
		io.WriteString(c, "abc")
		if _, body := readAnswer(t, bufio.NewReader(c), "POST"); body != "abc" {
			t.Errorf("body %q", body)
		}
	})
	t.Run("silent connection", func(t *testing.T) {
		c := dial(t, addr)
		if !closedByServer(t, c, long/2) {
			t.Error("a silent connection was held until the client gave up")
		}
	})
	t.Run("header trickled", func(t *testing.T) {
		c := dial(t, addr)
		stop := make(chan struct{})
		defer close(stop)
		go func() { // a byte every 50 ms: each arrives in time, the header never ends
			for _, b := range []byte("GET / HTTP/1.1\r\nHost: h\r\nX-Slow: " + strings.Repeat("x", 10000)) {
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
				}
				if _, err := c.Write([]byte{b}); err != nil {
					return
				}
			}
		}()
		if !closedByServer(t, c, long/2) {
			t.Error("a trickled header was read until the client gave up")
		}
	})
	t.Run("body too slow", func(t *testing.T) {
		c := dial(t, addr)
		io.WriteString(c, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nabc")
		if !closedByServer(t, c, long/2) {
			t.Error("a body that never ends was waited for until the client gave up")
		}
	})
	t.Run("idle keep-alive", func(t *testing.T) {
		c := dial(t, addr)
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n")
		if !closedByServer(t, c, long/2) {
			t.Error("an idle keep-alive connection was held until the client gave up")
		}
	})
}
