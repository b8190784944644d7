package loadgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestReadAnswerFromNetHTTP reads net/http's server's answers over one keep-alive connection: fixed
// length, chunked (with trailers), empty, 204 and 304, and one that closes the connection.
func TestReadAnswerFromNetHTTP(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 40_000) // 640 KB: many reads, chunks larger than the buffer
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/length":
			w.Header().Set("Content-Length", "5")
			w.Write([]byte("hello"))
		case "/chunked":
			w.Header().Set("Trailer", "X-Sum")
			for range 3 {
				w.Write([]byte(big))
				w.(http.Flusher).Flush() // no Content-Length: net/http sends the body chunked
			}
			w.Header().Set("X-Sum", "ok")
		case "/empty":
			w.WriteHeader(http.StatusTeapot)
		case "/nocontent":
			w.WriteHeader(http.StatusNoContent)
		case "/notmodified":
			w.Header().Set("Etag", `"x"`)
			w.WriteHeader(http.StatusNotModified)
		case "/close":
			w.Header().Set("Connection", "close")
			w.Write([]byte("bye"))
		}
	}))
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	for _, tc := range []struct {
		path   string
		status int
		body   int64
		close  bool
	}{
		{"/length", 200, 5, false},
		{"/chunked", 200, int64(3 * len(big)), false},
		{"/empty", 418, 0, false},
		{"/nocontent", 204, 0, false},
		{"/notmodified", 304, 0, false},
		{"/length", 200, 5, false}, // the connection is still in step after every kind of answer
		{"/close", 200, 3, true},
	} {
		if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", tc.path); err != nil {
			t.Fatal(err)
		}
		a, err := readAnswer(br)
		if err != nil || a != (answer{status: tc.status, body: tc.body, close: tc.close}) {
			t.Fatalf("%s: %+v, %v; want status %d, %d body bytes, close %v", tc.path, a, err, tc.status, tc.body, tc.close)
		}
	}
	if _, err := readAnswer(br); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("after the server closed: %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestReadAnswerFraming(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     answer
		rest     string // what must be left unread (the next answer)
	}{
		{"length", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcNEXT", answer{status: 200, body: 3}, "NEXT"},
		{"no reason", "HTTP/1.1 404\r\ncontent-length: 0\r\n\r\nNEXT", answer{status: 404}, "NEXT"},
		{"same length twice", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nxNEXT", answer{status: 200, body: 1}, "NEXT"},
		{"chunked, extension, trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\nNEXT", answer{status: 200, body: 13}, "NEXT"},
		{"interim answers", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokNEXT", answer{status: 200, body: 2}, "NEXT"},
		{"connection close", "HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n", answer{status: 200, close: true}, ""},
		{"HTTP/1.0 closes", "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", answer{status: 200, close: true}, ""},
		{"HTTP/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\nNEXT", answer{status: 200}, "NEXT"},
		{"until close", "HTTP/1.1 200 OK\r\n\r\nall of it", answer{status: 200, body: 9, close: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			br := bufio.NewReader(strings.NewReader(tc.in))
			a, err := readAnswer(br)
			if err != nil || a != tc.want {
				t.Fatalf("%+v, %v; want %+v", a, err, tc.want)
			}
			if rest, _ := io.ReadAll(br); string(rest) != tc.rest {
				t.Fatalf("left %q, want %q", rest, tc.rest)
			}
		})
	}
}

func TestReadAnswerRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"not HTTP", "SSH-2.0-OpenSSH\r\n\r\n", ErrMalformed},
		{"HTTP/2", "HTTP/2 200\r\n\r\n", ErrMalformed},
		{"short status", "HTTP/1.1 20\r\n\r\n", ErrMalformed},
		{"status not digits", "HTTP/1.1 2x0 OK\r\n\r\n", ErrMalformed},
		{"status glued to reason", "HTTP/1.1 200OK\r\n\r\n", ErrMalformed},
		{"bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\n\n", ErrMalformed},
		{"header without colon", "HTTP/1.1 200 OK\r\nContent-Length 0\r\n\r\n", ErrMalformed},
		{"folded header", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", ErrMalformed},
		{"space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", ErrMalformed},
		{"negative length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", ErrMalformed},
		{"huge length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", ErrMalformed},
		{"two lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", ErrMalformed},
		{"length and chunked", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", ErrMalformed},
		{"gzip encoding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", ErrMalformed},
		{"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", ErrMalformed},
		{"chunk longer than said", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n", ErrMalformed},
		{"204 with a body", "HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\nab", ErrMalformed},
		{"switching protocols", "HTTP/1.1 101 Switching Protocols\r\n\r\n", ErrMalformed},
		{"NUL in a header", "HTTP/1.1 200 OK\r\nX: a\x00b\r\nContent-Length: 0\r\n\r\n", ErrMalformed},
		{"line longer than the buffer", "HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", 5000) + "\r\n\r\n", ErrMalformed},
		{"head over the limit", "HTTP/1.1 200 OK\r\n" + strings.Repeat("X: "+strings.Repeat("a", 1000)+"\r\n", 70) + "\r\n", ErrMalformed},
		{"endless interim answers", strings.Repeat("HTTP/1.1 100 Continue\r\n\r\n", maxInterim+1), ErrMalformed},
		{"empty", "", io.ErrUnexpectedEOF},
		{"cut in the head", "HTTP/1.1 200 OK\r\nContent-Len", io.ErrUnexpectedEOF},
		{"cut in the body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", io.ErrUnexpectedEOF},
		{"cut in a chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", io.ErrUnexpectedEOF},
		{"no last chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n", io.ErrUnexpectedEOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := readAnswer(bufio.NewReader(strings.NewReader(tc.in)))
			if !errors.Is(err, tc.want) {
				t.Fatalf("%+v, %v; want %v", a, err, tc.want)
			}
		})
	}
}

// TestReadAnswerLinear: reading costs no allocation whatever the body's size or its number of chunks,
// and the bytes read are exactly the input's (each read once), for n and 2n chunks.
func TestReadAnswerLinear(t *testing.T) {
	answerOf := func(chunks int) []byte {
		var b bytes.Buffer
		b.WriteString("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive, x\r\n\r\n")
		for range chunks {
			b.WriteString("10\r\n0123456789abcdef\r\n")
		}
		b.WriteString("0\r\n\r\n")
		return b.Bytes()
	}
	for _, n := range []int{1000, 2000} {
		in := answerOf(n)
		r := bytes.NewReader(in)
		cr := &countingReader{r: r}
		br := bufio.NewReader(cr)
		allocs := testing.AllocsPerRun(20, func() {
			r.Reset(in)
			br.Reset(cr)
			cr.n = 0
			if a, err := readAnswer(br); err != nil || a.body != int64(16*n) {
				t.Fatalf("%d chunks: %+v, %v", n, a, err)
			}
		})
		if allocs != 0 || cr.n != int64(len(in)) {
			t.Fatalf("%d chunks: %.0f allocations, read %d bytes of %d", n, allocs, cr.n, len(in))
		}
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// FuzzReadAnswer: no input panics or reads past its end, and an answer this reader accepts, net/http
// accepts too, with the same status, the same body length and the same verdict on the connection.
func FuzzReadAnswer(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX: y\r\n\r\n",
		"HTTP/1.0 304 Not Modified\r\nConnection: keep-alive\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
		"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := readAnswer(bufio.NewReader(bytes.NewReader(in)))
		if err != nil {
			return
		}
		// net/http's ReadResponse returns interim answers as they are (its Transport skips them).
		hr := bufio.NewReader(bytes.NewReader(in))
		resp, herr := http.ReadResponse(hr, &http.Request{Method: http.MethodGet})
		for herr == nil && resp.StatusCode >= 100 && resp.StatusCode < 200 {
			resp, herr = http.ReadResponse(hr, &http.Request{Method: http.MethodGet})
		}
		if herr != nil {
			t.Fatalf("accepted %+v, net/http refuses: %v", a, herr)
		}
		n, berr := io.Copy(io.Discard, resp.Body)
		if berr != nil || resp.StatusCode != a.status || n != a.body || resp.Close != a.close {
			t.Fatalf("read %+v; net/http: status %d, %d body bytes (%v), close %v", a, resp.StatusCode, n, berr, resp.Close)
		}
	})
}
