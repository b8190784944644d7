package cas

import (
	"bytes"
	"context"
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
