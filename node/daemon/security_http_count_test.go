package daemon

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/internal/gcfloor"
	"github.com/ionode/ionode/internal/httpserve"
	"github.com/ionode/ionode/node"
)

// serveTest serves srv on 127.0.0.1 until the test ends and returns its base URL.
func serveTest(t *testing.T, srv *httpserve.Server) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		if err := <-done; !errors.Is(err, httpserve.ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + l.Addr().String()
}

// TestHTTPServerCountsRequestsForTheFloor: every request the server answers counts toward the heap
// floor's demand, so the floor holds under load and not without it.
func TestHTTPServerCountsRequestsForTheFloor(t *testing.T) {
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	rate := &gcfloor.RequestRate{MinPerSecond: gcfloor.DefaultBusyRate, Now: func() time.Time { return now }}
	d := &Daemon{cfg: DefaultConfig(), log: slog.New(slog.DiscardHandler), requests: rate}
	base := serveTest(t, d.newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }), nil))
	client := &http.Client{Timeout: time.Minute}
	rate.Busy()
	serve := func(n int) {
		for range n {
			resp, err := client.Get(base + "/identifiers/did:ion:x")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNoContent {
				t.Fatalf("status %d: the server did not pass the request on", resp.StatusCode)
			}
		}
	}
	serve(gcfloor.DefaultBusyRate / 2)
	now = now.Add(time.Second)
	if rate.Busy() {
		t.Fatalf("%d requests in a second: the floor's demand is busy", gcfloor.DefaultBusyRate/2)
	}
	serve(gcfloor.DefaultBusyRate)
	now = now.Add(time.Second)
	if !rate.Busy() {
		t.Fatalf("%d requests in a second: the floor's demand is not busy", gcfloor.DefaultBusyRate)
	}
}

// TestHTTPServerRefusesLargeBodiesAsTheNode: a body over --http-max-body-bytes gets the node's own JSON
// 413, the one withBodyLimit writes, whether its length is announced or it comes chunked; the handler
// never runs.
func TestHTTPServerRefusesLargeBodiesAsTheNode(t *testing.T) {
	cfg := DefaultConfig()
	cfg.HTTP.MaxBodyBytes = 2048
	d := &Daemon{cfg: cfg, log: slog.New(slog.DiscardHandler)}
	var logged syncBuffer
	rt := &node.Routes{Logger: slog.New(slog.NewTextHandler(&logged, nil))}
	base := serveTest(t, d.newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the handler ran for %s", r.URL)
	}), rt.RefuseTooLarge))
	body := strings.Repeat("a", 2049)
	for _, tc := range []struct {
		name, id string
		body     io.Reader
		// logged: the refusal's access log fields after its id. A chunked body over the limit is found
		// while fasthttp reads it, and by then it has dropped the request's line and header.
		logged string
	}{
		{"announced", "client-7", strings.NewReader(body), " method=POST path=/operations status=413"},
		{"chunked", "", io.MultiReader(strings.NewReader(body)), ` method="" path="" status=413`},
	} {
		req, err := http.NewRequest(http.MethodPost, base+"/operations", tc.body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Request-Id", tc.id)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || resp.Header.Get("Content-Type") != node.JSONContentType || string(got) != string(node.TooLargeBody()) {
			t.Errorf("%s: %d %q %s", tc.name, resp.StatusCode, resp.Header.Get("Content-Type"), got)
		}
		if !strings.Contains(string(got), `"code":"request_too_large"`) {
			t.Errorf("%s: %s", tc.name, got)
		}
		// The refusal has a request id (the client's when it is kept) and an access log line under it.
		id := resp.Header.Get("X-Request-Id")
		if (tc.id != "" && id != tc.id) || len(id) == 0 {
			t.Errorf("%s: X-Request-Id %q, want %q", tc.name, id, tc.id)
		}
		if line := "request_id=" + id + tc.logged; !strings.Contains(logged.String(), line) {
			t.Errorf("%s: the access log lacks %q:\n%s", tc.name, line, logged.String())
		}
	}
}
