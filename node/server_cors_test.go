package node

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

func corsServer(t *testing.T, origins []string) *httptest.Server {
	t.Helper()
	res := &ion.Resolver{Network: sidetree.Mainnet(), Log: memoryLog{}}
	rt := &Routes{
		API:         &API{Network: sidetree.Mainnet(), Resolver: res, Version: "t"},
		CORSOrigins: origins,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	srv := httptest.NewServer(rt.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func TestCORS(t *testing.T) {
	tests := []struct {
		name       string
		origins    []string
		method     string
		origin     string
		preflight  bool
		wantStatus int
		wantAllow  string // Access-Control-Allow-Origin
	}{
		{"default: none", nil, "GET", "https://evil.example", false, 200, ""},
		{"default preflight: none", nil, "OPTIONS", "https://evil.example", true, 405, ""},
		{"listed origin", []string{"https://explorer.example"}, "GET", "https://explorer.example", false, 200, "https://explorer.example"},
		{"unlisted origin", []string{"https://explorer.example"}, "GET", "https://evil.example", false, 200, ""},
		{"listed preflight", []string{"https://explorer.example"}, "OPTIONS", "https://explorer.example", true, 204, "https://explorer.example"},
		{"unlisted preflight", []string{"https://explorer.example"}, "OPTIONS", "https://evil.example", true, 403, ""},
		{"any", []string{"*"}, "GET", "https://anyone.example", false, 200, "*"},
		{"same-origin request without Origin", []string{"https://explorer.example"}, "GET", "", false, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := corsServer(t, tc.origins)
			req, _ := http.NewRequest(tc.method, srv.URL+"/version", nil)
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			if tc.preflight {
				req.Header.Set("Access-Control-Request-Method", "POST")
				req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tc.wantAllow {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tc.wantAllow)
			}
			if resp.Header.Get("Access-Control-Allow-Credentials") != "" {
				t.Error("credentials allowed")
			}
			if tc.preflight && tc.wantAllow != "" && !strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
				t.Errorf("preflight allows headers %q", resp.Header.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	res := &ion.Resolver{Network: sidetree.Mainnet(), Log: memoryLog{}}
	var read int
	rt := &Routes{
		API:          &API{Network: sidetree.Mainnet(), Resolver: res, Version: "t"},
		MaxBodyBytes: 1000,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		Gateway: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, err := io.ReadAll(r.Body)
			read = len(b)
			if err != nil {
				w.WriteHeader(http.StatusRequestEntityTooLarge)
			}
		}),
	}
	srv := httptest.NewServer(rt.Handler())
	defer srv.Close()
	tests := []struct {
		name   string
		body   io.Reader
		status int
	}{
		{"declared too large", strings.NewReader(strings.Repeat("x", 1001)), 413},
		{"within the limit", strings.NewReader(strings.Repeat("x", 1000)), 200},
		// Chunked: no Content-Length, the reader stops at the limit.
		{"chunked too large", io.MultiReader(strings.NewReader(strings.Repeat("x", 5000))), 413},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/ipfs/x", tc.body)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, resp.StatusCode, tc.status)
		}
		if read > 1000 {
			t.Errorf("%s: handler read %d bytes", tc.name, read)
		}
	}
}
