package httpserve

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestAnswers: what a handler writes reaches the client as net/http would send it.
func TestAnswers(t *testing.T) {
	h := http.NewServeMux()
	h.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<!DOCTYPE html><p>hi</p>") })
	h.HandleFunc("/nothing", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	h.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	_, fast := start(t, testConfig(), h)
	std := startNetHTTP(t, h)
	for _, path := range []string{"/html", "/nothing", "/empty", "/missing"} {
		for _, method := range []string{"GET", "HEAD"} {
			raw := method + " " + path + " HTTP/1.1\r\nHost: h\r\n\r\n"
			want, wantBody := roundTrip(t, std, raw)
			got, gotBody := roundTrip(t, fast, raw)
			if got.StatusCode != want.StatusCode || gotBody != wantBody || got.Header.Get("Content-Type") != want.Header.Get("Content-Type") {
				t.Errorf("%s %s: %d %q %q, net/http %d %q %q", method, path, got.StatusCode, got.Header.Get("Content-Type"), gotBody,
					want.StatusCode, want.Header.Get("Content-Type"), wantBody)
			}
			if got.Header.Get("Server") != "" || got.Header.Get("Date") == "" {
				t.Errorf("%s %s: Server %q, Date %q", method, path, got.Header.Get("Server"), got.Header.Get("Date"))
			}
		}
	}
	// A panicking handler fails its own request and its connection (as net/http closes it); the
	// server keeps answering.
	c := dial(t, fast)
	io.WriteString(c, "GET /panic HTTP/1.1\r\nHost: h\r\n\r\n")
	br := bufio.NewReader(c)
	if resp, _ := readAnswer(t, br, "GET"); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("panic: status %d", resp.StatusCode)
	}
	if rest, err := io.ReadAll(br); err != nil || len(rest) != 0 {
		t.Errorf("after a panic the connection stayed open or sent more: %q %v", rest, err)
	}
	if resp, body := roundTrip(t, fast, "GET /html HTTP/1.1\r\nHost: h\r\n\r\n"); resp.StatusCode != 200 || body == "" {
		t.Errorf("after a panic: %d %q", resp.StatusCode, body)
	}
}

// TestKeepAlive: many requests on one connection; HTTP/1.0 and Connection: close end it.
func TestKeepAlive(t *testing.T) {
	var n atomic.Int64
	_, addr := start(t, testConfig(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%d", n.Add(1))
	}))
	c := dial(t, addr)
	br := bufio.NewReader(c)
	for i := 1; i <= 50; i++ {
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n")
		if _, body := readAnswer(t, br, "GET"); body != fmt.Sprint(i) {
			t.Fatalf("request %d on one connection: %q", i, body)
		}
	}
	for _, raw := range []string{
		"GET / HTTP/1.0\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
	} {
		c := dial(t, addr)
		io.WriteString(c, raw)
		br := bufio.NewReader(c)
		readAnswer(t, br, "GET")
		if rest, err := io.ReadAll(br); err != nil || len(rest) != 0 {
			t.Errorf("%q: the connection stayed open or sent more: %q %v", raw, rest, err)
		}
	}
}

// TestContentLengthAndChunked: a request with both Content-Length and Transfer-Encoding: chunked is
// an attempt at request smuggling (the two framings disagree). net/http lets chunked win and ignores
// Content-Length; fasthttp does the same (the handler gets the chunked body) and also closes the
// connection after the answer (RFC 9112 §6.1), so what follows the body is never read as a request.
func TestContentLengthAndChunked(t *testing.T) {
	var bodies []string
	_, addr := start(t, testConfig(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, r.URL.Path+" "+string(b))
	}))
	c := dial(t, addr)
	smuggled := "GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n"
	io.WriteString(c, "POST /operations HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"+smuggled)
	br := bufio.NewReader(c)
	readAnswer(t, br, "POST")
	rest, _ := io.ReadAll(br)
	if len(rest) != 0 || len(bodies) != 1 || bodies[0] != "/operations abc" {
		t.Errorf("handler saw %q; after the answer %q", bodies, rest)
	}
	if strings.Contains(strings.Join(bodies, ","), "smuggled") {
		t.Error("the smuggled request was served")
	}
}
