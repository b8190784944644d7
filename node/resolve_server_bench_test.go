package node_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/ionode/ionode/internal/cputime"
	"github.com/ionode/ionode/internal/httpserve"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/resolver/ion"
)

// BenchmarkResolveServer is GET /identifiers/{did} served by the node's handler chain behind a real
// http.Server (node/daemon's timeouts) on a loopback listener, sent by keep-alive clients that write
// raw HTTP/1.1 requests: what a resolution costs the node with net/http's parsing and writing, which
// BenchmarkResolveHandler leaves out.
//
// allocs/op and B/op count the whole process (runtime.MemStats, as -benchmem does). The client side
// allocates nothing per request: it writes prebuilt requests and reads each answer into its own
// buffer (the client-only case measures it against a server that writes a canned answer with no
// allocation either), so they are the server's. cpu-ns/op is the process's CPU time, both sides:
// client-only's is the client's share.
func BenchmarkResolveServer(b *testing.B) {
	f := newResolveFixture(b, benchDIDs)
	requests, conditional := make([][]byte, len(f.paths)), make([][]byte, len(f.paths))
	h := f.handler(b, 0, true)
	// The same routes, over their own store, served as node/daemon serves them: on fasthttp, with the
	// fast resolution path first (FastResolution).
	rt := f.routesOf(b, 0, func(r *ion.Resolver) node.DIDResolver { return ion.NewAnswers(r, 0) })
	fh, fast, taken := f.warm(b, rt), rt.FastResolution(), new(atomic.Int64)
	for i, p := range f.paths {
		requests[i] = []byte("GET " + p + " HTTP/1.1\r\nHost: ionode.test\r\nUser-Agent: bench\r\n\r\n")
		// A revalidation (a browser's or a proxy's), answered 304.
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, p, nil))
		conditional[i] = []byte("GET " + p + " HTTP/1.1\r\nHost: ionode.test\r\nUser-Agent: bench\r\nIf-None-Match: " +
			w.Header().Get("Etag") + "\r\n\r\n")
	}
	// The answer client-only receives: a resolution's size and header count.
	canned := []byte("HTTP/1.1 200 OK\r\nCache-Control: public, max-age=30\r\nContent-Type: application/json\r\n" +
		"Etag: \"0123456789abcdefghijkl\"\r\nX-Request-Id: 0123456789abcdef\r\nDate: Sun, 06 Dec 2026 19:00:00 GMT\r\n" +
		"Content-Length: 1200\r\n\r\n" + string(bytes.Repeat([]byte{'x'}, 1200)))
	for _, tc := range []struct {
		name     string
		conns    int
		requests [][]byte
		status   int
		serve    func(b *testing.B, l net.Listener)
	}{
		{"client-only", 1, requests, http.StatusOK, func(b *testing.B, l net.Listener) { go cannedServer(l, canned) }},
		{"conns=1", 1, requests, http.StatusOK, func(b *testing.B, l net.Listener) { serveNode(b, l, h) }},
		{"conns=4", 4, requests, http.StatusOK, func(b *testing.B, l net.Listener) { serveNode(b, l, h) }},
		{"conditional", 1, conditional, http.StatusNotModified, func(b *testing.B, l net.Listener) { serveNode(b, l, h) }},
		// The same behind the daemon's transport (internal/httpserve, fasthttp), side by side.
		{"httpserve,conns=1", 1, requests, http.StatusOK, func(b *testing.B, l net.Listener) { serveFast(b, l, h, nil) }},
		{"httpserve,conns=4", 4, requests, http.StatusOK, func(b *testing.B, l net.Listener) { serveFast(b, l, h, nil) }},
		{"httpserve,conditional", 1, conditional, http.StatusNotModified, func(b *testing.B, l net.Listener) { serveFast(b, l, h, nil) }},
		// The transports alone: every request answered with a resolution-sized body that costs nothing
		// to make, through net/http, through httpserve's adaptor, and natively (httpserve's Fast hook).
		{"transport,net/http", 1, requests, http.StatusOK, func(b *testing.B, l net.Listener) { serveNode(b, l, cannedHandler) }},
		{"transport,httpserve", 1, requests, http.StatusOK, func(b *testing.B, l net.Listener) { serveFast(b, l, cannedHandler, nil) }},
		{"transport,httpserve-native", 1, requests, http.StatusOK, func(b *testing.B, l net.Listener) {
			serveFast(b, l, http.NotFoundHandler(), cannedFast)
		}},
		// The node as node/daemon serves it: httpserve with the node's native resolution path
		// (FastResolution) as its Fast hook.
		{"fast/conns=1", 1, requests, http.StatusOK, func(b *testing.B, l net.Listener) { serveFast(b, l, fh, counted(fast, taken)) }},
		{"fast/conns=4", 4, requests, http.StatusOK, func(b *testing.B, l net.Listener) { serveFast(b, l, fh, counted(fast, taken)) }},
		{"fast/conditional", 1, conditional, http.StatusNotModified, func(b *testing.B, l net.Listener) { serveFast(b, l, fh, counted(fast, taken)) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			tc.serve(b, l)
			clients := make([]*rawClient, tc.conns)
			for i := range clients {
				if clients[i], err = dialRaw(l.Addr().String()); err != nil {
					b.Fatal(err)
				}
				defer clients[i].conn.Close()
				if _, _, err := clients[i].roundTrip(tc.requests[0]); err != nil { // the connection's own costs
					b.Fatal(err)
				}
			}
			var next atomic.Int64
			b.ReportAllocs()
			cpu0 := cputime.Self()
			b.ResetTimer()
			errs := make(chan error, len(clients))
			for _, c := range clients {
				go func() { errs <- c.drive(tc.requests, tc.status, &next, int64(b.N)) }()
			}
			for range clients {
				if err := <-errs; err != nil {
					b.Error(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(cputime.Self()-cpu0)/float64(b.N), "cpu-ns/op")
			if strings.HasPrefix(tc.name, "fast/") && taken.Load() < int64(b.N) {
				b.Fatalf("the fast path took %d of %d requests", taken.Load(), b.N)
			}
		})
	}
}

// serveNode serves h as node/daemon does (its default timeouts) until the benchmark ends.
func serveNode(b *testing.B, l net.Listener, h http.Handler) {
	b.Helper()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 16 << 10}
	go srv.Serve(l)
	b.Cleanup(func() { srv.Close() })
}

// serveFast serves h on the daemon's transport with the same timeouts, and fast as its Fast hook when
// set, until the benchmark ends.
func serveFast(b testing.TB, l net.Listener, h http.Handler, fast func(*fasthttp.RequestCtx) bool) {
	b.Helper()
	srv := httpserve.New(httpserve.Config{ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 16 << 10, MaxBodyBytes: 1 << 20}, h)
	if fast != nil {
		srv.SetFast(fast)
	}
	go srv.Serve(l)
	b.Cleanup(func() { srv.Shutdown(context.Background()) })
}

// cannedBody is a resolution's size; the canned answers carry a resolution's headers.
var cannedBody = bytes.Repeat([]byte{'x'}, 1200)

var cannedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Cache-Control"] = []string{"public, max-age=30"}
	h["Content-Type"] = []string{"application/json"}
	h["Etag"] = []string{"\"0123456789abcdefghijkl\""}
	h["X-Request-Id"] = []string{"0123456789abcdef"}
	w.Write(cannedBody)
})

func cannedFast(ctx *fasthttp.RequestCtx) bool {
	ctx.Response.Header.Set("Cache-Control", "public, max-age=30")
	ctx.Response.Header.SetContentType("application/json")
	ctx.Response.Header.Set("Etag", "\"0123456789abcdefghijkl\"")
	ctx.Response.Header.Set("X-Request-Id", "0123456789abcdef")
	ctx.Response.SetBodyRaw(cannedBody)
	return true
}

// cannedServer answers every request on each connection with answer: a server that allocates nothing
// per request, to measure the client alone. It reads until each request's blank line.
func cannedServer(l net.Listener, answer []byte) {
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer conn.Close()
			buf := make([]byte, 4096)
			n := 0
			for {
				m, err := conn.Read(buf[n:])
				if err != nil {
					return
				}
				n += m
				if i := bytes.Index(buf[:n], headerEnd); i >= 0 {
					n = copy(buf, buf[i+len(headerEnd):n])
					if _, err := conn.Write(answer); err != nil {
						return
					}
				} else if n == len(buf) {
					return
				}
			}
		}()
	}
}

// rawClient is one keep-alive HTTP/1.1 connection with one request in flight. It reads answers with
// a Content-Length (or a 304, which has no body) into one buffer and keeps only their status and body length: nothing is allocated
// per request (TestRawClientAllocatesNothing).
type rawClient struct {
	conn net.Conn
	buf  []byte
}

func dialRaw(addr string) (*rawClient, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &rawClient{conn: conn, buf: make([]byte, 64<<10)}, nil
}

var (
	headerEnd     = []byte("\r\n\r\n")
	contentLength = []byte("\r\nContent-Length: ")
	errAnswer     = errors.New("malformed answer")
)

// drive sends requests in turn, numbered by next, until n were sent, each answered with status.
func (c *rawClient) drive(requests [][]byte, status int, next *atomic.Int64, n int64) error {
	for {
		i := next.Add(1) - 1
		if i >= n {
			return nil
		}
		got, _, err := c.roundTrip(requests[i%int64(len(requests))])
		if err != nil {
			return err
		}
		if got != status {
			return fmt.Errorf("status %d, want %d", got, status)
		}
	}
}

// roundTrip sends req and reads its answer.
func (c *rawClient) roundTrip(req []byte) (status, bodyLen int, err error) {
	if _, err := c.conn.Write(req); err != nil {
		return 0, 0, err
	}
	return readAnswer(c.conn, c.buf)
}

// readAnswer reads one answer from r into buf: its status and its body's length. Bytes after the answer
// are an error (one request is in flight).
func readAnswer(r io.Reader, buf []byte) (status, bodyLen int, err error) {
	n, header := 0, -1
	for {
		m, err := r.Read(buf[n:])
		n += m
		if header < 0 {
			if i := bytes.Index(buf[:n], headerEnd); i >= 0 {
				header = i + len(headerEnd)
				if status, bodyLen, err = parseHeader(buf[:header]); err != nil {
					return 0, 0, err
				}
			}
		}
		switch {
		case header >= 0 && n == header+bodyLen:
			return status, bodyLen, nil
		case header >= 0 && n > header+bodyLen:
			return 0, 0, errAnswer
		case err != nil:
			return 0, 0, err
		case n == len(buf):
			return 0, 0, errAnswer
		}
	}
}

// parseHeader reads the status and Content-Length of an answer's header (net/http writes the
// canonical name).
func parseHeader(h []byte) (status, bodyLen int, err error) {
	if len(h) < 12 || !bytes.HasPrefix(h, []byte("HTTP/1.1 ")) {
		return 0, 0, errAnswer
	}
	status, ok := digits(h[9:12])
	if ok && status == http.StatusNotModified {
		return status, 0, nil // no body, whatever the header says
	}
	i := bytes.Index(h, contentLength)
	if !ok || i < 0 {
		return 0, 0, errAnswer
	}
	v := h[i+len(contentLength):]
	end := bytes.IndexByte(v, '\r')
	if bodyLen, ok = digits(v[:max(end, 0)]); !ok {
		return 0, 0, errAnswer
	}
	return status, bodyLen, nil
}

func digits(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// TestRawClientAllocatesNothing: BenchmarkResolveServer attributes the process's allocations to the
// server because its client's reading allocates nothing.
func TestRawClientAllocatesNothing(t *testing.T) {
	answer := []byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{\"a\"}")
	buf := make([]byte, 1024)
	r := bytes.NewReader(answer)
	var status, n int
	var err error
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(answer)
		status, n, err = readAnswer(r, buf)
	})
	if err != nil || status != 200 || n != 5 {
		t.Fatalf("read %d, %d bytes, %v", status, n, err)
	}
	if allocs != 0 {
		t.Errorf("reading an answer allocates %v times", allocs)
	}
	if status, n, err := readAnswer(bytes.NewReader([]byte("HTTP/1.1 304 Not Modified\r\nEtag: \"x\"\r\n\r\n")), buf); err != nil || status != 304 || n != 0 {
		t.Errorf("304: read %d, %d bytes, %v", status, n, err)
	}
	for _, bad := range []string{"HTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\nContent-Length: 1\r\n\r\nx",
		"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxy", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nx"} {
		if _, _, err := readAnswer(bytes.NewReader([]byte(bad)), buf); err == nil {
			t.Errorf("%q read without an error", bad)
		}
	}
}
