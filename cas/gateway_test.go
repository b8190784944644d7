package cas

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestGateway(t *testing.T) {
	n := openTestNode(t, t.TempDir())
	n.cfg.GatewayMaxSize = ChunkSize
	n.cfg.GatewayTimeout = 2 * time.Second // what the 404 case waits; local reads take far less
	srv := httptest.NewServer(n.Handler())
	defer srv.Close()

	ctx := context.Background()
	small := []byte("hello world\n")
	smallCID, err := n.Put(ctx, small)
	if err != nil {
		t.Fatal(err)
	}
	bigCID, err := n.Put(ctx, pattern(ChunkSize+1))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := ParseCID(smallCID)

	tests := []struct {
		name   string
		method string
		path   string
		header map[string]string
		status int
		body   []byte
	}{
		{"file", http.MethodGet, "/ipfs/" + smallCID, nil, http.StatusOK, small},
		{"file by CIDv1", http.MethodGet, "/ipfs/" + cidV1(c).String(), nil, http.StatusOK, small},
		{"head", http.MethodHead, "/ipfs/" + smallCID, nil, http.StatusOK, nil},
		{"etag match", http.MethodGet, "/ipfs/" + smallCID, map[string]string{"If-None-Match": `"` + smallCID + `"`}, http.StatusNotModified, nil},
		{"etag other", http.MethodGet, "/ipfs/" + smallCID, map[string]string{"If-None-Match": `"Qmother"`}, http.StatusOK, small},
		{"invalid cid", http.MethodGet, "/ipfs/not-a-cid", nil, http.StatusBadRequest, nil},
		{"directory", http.MethodGet, "/ipfs/" + putDirectory(t, n), nil, http.StatusBadRequest, nil},
		{"unknown", http.MethodGet, "/ipfs/" + unknownCID(t), nil, http.StatusNotFound, nil},
		{"too large", http.MethodGet, "/ipfs/" + bigCID, nil, http.StatusRequestEntityTooLarge, nil},
		{"sub path", http.MethodGet, "/ipfs/" + smallCID + "/x", nil, http.StatusNotFound, nil},
		{"no cid", http.MethodGet, "/ipfs/", nil, http.StatusNotFound, nil},
		{"post", http.MethodPost, "/ipfs/" + smallCID, nil, http.StatusMethodNotAllowed, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (body %q)", resp.StatusCode, tt.status, body)
			}
			if resp.StatusCode != http.StatusOK {
				return
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/octet-stream" {
				t.Errorf("Content-Type %q", ct)
			}
			if et := resp.Header.Get("ETag"); et != `"`+tt.path[len("/ipfs/"):]+`"` {
				t.Errorf("ETag %q for %s", et, tt.path)
			}
			if tt.method == http.MethodGet && !bytes.Equal(body, tt.body) {
				t.Errorf("body %q, want %q", body, tt.body)
			}
		})
	}
}

// The gateway can be mounted under a router as well as at the root.
func TestGatewayMounted(t *testing.T) {
	n := openTestNode(t, t.TempDir())
	c, err := n.Put(context.Background(), []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /ipfs/{cid}", n.Handler())
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/ipfs/"+c, nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "x" {
		t.Fatalf("status %d body %q", rec.Code, rec.Body.String())
	}
}

// TestGatewayServesLocalOnly: the gateway never fetches. A file only a peer holds is 404 at once and
// is not stored; once the node itself fetched it (as the observer does), the gateway serves it.
func TestGatewayServesLocalOnly(t *testing.T) {
	a := openTestNode(t, t.TempDir())
	data := pattern(2*ChunkSize + 10)
	c, err := a.Put(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	b := openTestNode(t, t.TempDir(), a.Addrs()...)
	b.cfg.GatewayTimeout = time.Minute // a fetch would succeed well within this
	gw := b.Handler()
	get := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		gw.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/ipfs/"+c, nil))
		return rec
	}
	start := time.Now()
	if rec := get(); rec.Code != http.StatusNotFound {
		t.Fatalf("a file only a peer holds: status %d, want 404", rec.Code)
	}
	// A gateway that asked the network would get the file from a (200, and GetLocal below would find
	// it) or, if the fetch stalled, wait until its GatewayTimeout: no bound tighter than that is needed.
	if took := time.Since(start); took >= b.cfg.GatewayTimeout {
		t.Errorf("the 404 took %v: the gateway waited for the network", took)
	}
	if _, err := b.GetLocal(context.Background(), c, int64(len(data))); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after the gateway request the node holds the file (GetLocal: %v)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := b.Get(ctx, c, int64(len(data))); err != nil {
		t.Fatalf("the node's own fetch: %v", err)
	}
	if rec := get(); rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), data) {
		t.Fatalf("a file the node holds: status %d, %d bytes", rec.Code, rec.Body.Len())
	}
}

// blockingGetter holds every Get until release is closed.
type blockingGetter struct {
	started chan struct{}
	release chan struct{}
}

func (b blockingGetter) Get(ctx context.Context, _ string, _ int64) ([]byte, error) {
	b.started <- struct{}{}
	select {
	case <-b.release:
		return []byte("x"), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TestGatewayConcurrencyCap: past MaxConcurrent requests in flight, more are refused with 503 at once.
func TestGatewayConcurrencyCap(t *testing.T) {
	store := blockingGetter{started: make(chan struct{}, 8), release: make(chan struct{})}
	gw := &Gateway{Store: store, MaxConcurrent: 2, Logger: discardLogger()}
	c := unknownCID(t)
	done := make(chan int, 2)
	for range 2 {
		go func() {
			rec := httptest.NewRecorder()
			gw.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/ipfs/"+c, nil))
			done <- rec.Code
		}()
		<-store.started
	}
	rec := httptest.NewRecorder()
	gw.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/ipfs/"+c, nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("third concurrent request: status %d, want 503 with Retry-After", rec.Code)
	}
	close(store.release)
	for range 2 {
		if code := <-done; code != http.StatusOK {
			t.Fatalf("held request: %d", code)
		}
	}
	rec = httptest.NewRecorder()
	gw.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/ipfs/"+c, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("after the others finished: %d", rec.Code)
	}
}

// TestHandlerConfig: the node's gateway takes its limits from NodeConfig (--ipfs-gateway-concurrency).
func TestHandlerConfig(t *testing.T) {
	n := &Node{cfg: NodeConfig{GatewayMaxSize: 5, GatewayTimeout: time.Second, GatewayConcurrency: 3}}
	g, ok := n.Handler().(*Gateway)
	if !ok {
		t.Fatalf("Handler() is %T", n.Handler())
	}
	if g.MaxConcurrent != 3 || g.MaxSize != 5 || g.Timeout != time.Second {
		t.Errorf("gateway limits %d, %d, %v; want 3, 5, 1s", g.MaxConcurrent, g.MaxSize, g.Timeout)
	}
}
