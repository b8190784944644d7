package httpserve

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// seen is what a handler sees of a request.
type seen struct {
	Method, Path, RawPath, RawQuery, RequestURI, Host string
	Header                                            http.Header
	Body                                              string
	RemoteIP                                          string
	Close, NoBody                                     bool
	TLS                                               bool
	ProtoMajor, ProtoMinor                            int
}

func seeRequest(r *http.Request) seen {
	body, _ := io.ReadAll(r.Body)
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	return seen{Method: r.Method, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery,
		RequestURI: r.RequestURI, Host: r.Host, Header: r.Header, Body: string(body), RemoteIP: ip,
		Close: r.Close, NoBody: r.Body == http.NoBody, TLS: r.TLS != nil, ProtoMajor: r.ProtoMajor, ProtoMinor: r.ProtoMinor}
}

// echo answers what it saw as JSON, with a repeated header and the request's method as a header.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	b, _ := json.Marshal(seeRequest(r))
	w.Header()["X-Repeated"] = []string{"one", "two"}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	w.Write(b)
})

// synthesized removes the two headers fasthttp's parser adds to what the client sent, where net/http
// shows none: "Content-Length: 0" on a request without a body other than GET and HEAD, and
// "Connection: close" on an HTTP/1.0 request. Both state what the request is (no body; the connection
// closes after the answer); the node's routes read neither. And fasthttp joins repeated Cookie headers
// into one (r.Cookies reads both forms alike).
func synthesized(got, want *seen) {
	if c := want.Header["Cookie"]; len(c) > 1 {
		want.Header["Cookie"] = []string{strings.Join(c, "; ")}
	}
	if got.Header.Get("Content-Length") == "0" && want.Header.Get("Content-Length") == "" {
		delete(got.Header, "Content-Length")
	}
	if got.ProtoMinor == 0 && got.Header.Get("Connection") == "close" && want.Header.Get("Connection") == "" {
		delete(got.Header, "Connection")
	}
}

// TestMatchesNetHTTP: for the same raw requests a handler sees the same request behind the transport
// as behind net/http, and the client gets the same status, headers and body.
func TestMatchesNetHTTP(t *testing.T) {
	_, fast := start(t, testConfig(), echo)
	std := startNetHTTP(t, echo)
	for _, tc := range []struct{ name, raw string }{
		{"get", "GET /identifiers/did:ion:EiA?x=1&y=%20z HTTP/1.1\r\nHost: node.example\r\n\r\n"},
		{"escaped path", "GET /a%2Fb/c%3Ad HTTP/1.1\r\nHost: h\r\n\r\n"},
		{"repeated headers", "GET / HTTP/1.1\r\nHost: h\r\nAccept: a/b\r\naccept: c/d\r\nX-Request-Id: 7\r\nAuthorization: Bearer t\r\n\r\n"},
		{"header case and spaces", "GET / HTTP/1.1\r\nHost: h\r\ncontent-TYPE:  application/json \r\nif-none-match: \"e\"\r\n\r\n"},
		{"post", "POST /operations HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"type\":\"x\"}\n"},
		{"chunked", "POST /operations HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n"},
		{"http/1.0", "GET /version HTTP/1.0\r\n\r\n"},
		{"connection close", "GET /version HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"},
		{"head", "HEAD /version HTTP/1.1\r\nHost: h\r\n\r\n"},
		{"options", "OPTIONS /identifiers/x HTTP/1.1\r\nHost: h\r\nOrigin: https://a.example\r\nAccess-Control-Request-Method: GET\r\n\r\n"},
		{"cookies", "GET / HTTP/1.1\r\nHost: h\r\nCookie: a=1\r\nCookie: b=2\r\n\r\n"},
		{"empty query", "GET /x? HTTP/1.1\r\nHost: h\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantResp, wantBody := roundTrip(t, std, tc.raw)
			gotResp, gotBody := roundTrip(t, fast, tc.raw)
			if gotResp.StatusCode != wantResp.StatusCode {
				t.Fatalf("status %d, net/http %d", gotResp.StatusCode, wantResp.StatusCode)
			}
			if methodOf(tc.raw) == "HEAD" {
				if gotBody != "" || gotResp.ContentLength != wantResp.ContentLength {
					t.Errorf("HEAD: body %q, Content-Length %d (net/http %d)", gotBody, gotResp.ContentLength, wantResp.ContentLength)
				}
			} else if gotResp.ContentLength != int64(len(gotBody)) {
				t.Errorf("Content-Length %d, body %d bytes", gotResp.ContentLength, len(gotBody))
			}
			for _, h := range []string{"X-Repeated", "Content-Type", "Server"} {
				if g, w := gotResp.Header[h], wantResp.Header[h]; !reflect.DeepEqual(g, w) {
					t.Errorf("answer header %s: %q, net/http %q", h, g, w)
				}
			}
			if gotResp.Header.Get("Date") == "" {
				t.Error("no Date header")
			}
			if gotBody == wantBody {
				return
			}
			var got, want seen
			if err := json.Unmarshal([]byte(gotBody), &got); err != nil {
				t.Fatalf("%v: %q", err, gotBody)
			}
			if err := json.Unmarshal([]byte(wantBody), &want); err != nil {
				t.Fatalf("%v: %q", err, wantBody)
			}
			synthesized(&got, &want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the handler saw\n%+v\nbehind net/http\n%+v", got, want)
			}
		})
	}
}

// TestRefusesAsNetHTTP: malformed requests net/http refuses are refused too, before any handler runs.
// (A malformed chunked body is refused here as well, where net/http starts the handler and fails its read.)
func TestRefusesAsNetHTTP(t *testing.T) {
	_, fast := start(t, testConfig(), echo)
	std := startNetHTTP(t, echo)
	post := "POST /operations HTTP/1.1\r\nHost: h\r\n"
	for _, tc := range []struct{ name, raw string }{
		{"HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n"},
		{"two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
		{"space in the target", "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n"},
		{"NUL in a header value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n"},
		{"two different Content-Lengths", post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"},
		{"negative Content-Length", post + "Content-Length: -1\r\n\r\n"},
		{"Content-Length not a number", post + "Content-Length: 3x\r\n\r\nabc"},
		{"unknown Transfer-Encoding", post + "Transfer-Encoding: gzip\r\n\r\nabc"},
		{"not HTTP", "HELLO\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, _ := roundTrip(t, std, tc.raw)
			got, body := roundTrip(t, fast, tc.raw)
			if want.StatusCode != http.StatusBadRequest && want.StatusCode != http.StatusNotImplemented {
				t.Fatalf("net/http answered %d: not a refusal", want.StatusCode)
			}
			if got.StatusCode/100 != 4 || got.Header.Get("X-Seen") != "" || strings.HasPrefix(body, "{") {
				t.Errorf("%d %q, net/http %d", got.StatusCode, body, want.StatusCode)
			}
		})
	}
}
