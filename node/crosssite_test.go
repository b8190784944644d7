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

// TestOperationsRefuseCrossSitePages: a page of another site cannot make a browser post operations
// (each one costs a fee), and a body not declared JSON is refused before it is read.
func TestOperationsRefuseCrossSitePages(t *testing.T) {
	valid := string(createBody(t))
	tests := []struct {
		name        string
		origins     []string // --cors-origin
		contentType string
		headers     map[string]string
		wantStatus  int
		wantCode    string
	}{
		{"curl: no Origin", nil, "application/json", nil, 200, ""},
		{"JSON with charset", nil, "application/json; charset=utf-8", nil, 200, ""},
		{"text/plain (a simple cross-site request)", nil, "text/plain", nil, 415, "unsupported_media_type"},
		{"form", nil, "application/x-www-form-urlencoded", nil, 415, "unsupported_media_type"},
		{"no Content-Type", nil, "", nil, 415, "unsupported_media_type"},
		{"cross-site page", nil, "text/plain", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403, "cross_site_request"},
		{"cross-site Origin only", nil, "application/json", map[string]string{"Origin": "https://evil.example"}, 403, "cross_site_request"},
		{"same-site other port", nil, "application/json", map[string]string{"Origin": "http://127.0.0.1:8080", "Sec-Fetch-Site": "same-site"}, 403, "cross_site_request"},
		{"unlisted origin", []string{"https://explorer.example"}, "application/json", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, 403, "cross_site_request"},
		{"null origin", []string{"*"}, "application/json", map[string]string{"Origin": "null", "Sec-Fetch-Site": "cross-site"}, 403, "cross_site_request"},
		{"listed origin", []string{"https://explorer.example"}, "application/json", map[string]string{"Origin": "https://explorer.example", "Sec-Fetch-Site": "cross-site"}, 200, ""},
		{"any origin", []string{"*"}, "application/json", map[string]string{"Origin": "https://anyone.example", "Sec-Fetch-Site": "cross-site"}, 200, ""},
		{"same-origin page", nil, "application/json", map[string]string{"Origin": "SELF", "Sec-Fetch-Site": "same-origin"}, 200, ""},
		{"same-origin Origin only", nil, "application/json", map[string]string{"Origin": "SELF"}, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := &memoryQueue{}
			rt := &Routes{
				API:         &API{Network: sidetree.Mainnet(), Resolver: &ion.Resolver{Network: sidetree.Mainnet(), Log: memoryLog{}}, Queue: q},
				CORSOrigins: tc.origins,
				Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
			}
			srv := httptest.NewServer(rt.Handler())
			defer srv.Close()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/operations", strings.NewReader(valid))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			for k, v := range tc.headers {
				req.Header.Set(k, strings.ReplaceAll(v, "SELF", srv.URL))
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus || tc.wantCode != "" && !strings.Contains(string(b), `"code":"`+tc.wantCode+`"`) {
				t.Fatalf("status %d %s, want %d %s", resp.StatusCode, b, tc.wantStatus, tc.wantCode)
			}
			if queued := len(q.pending); (tc.wantStatus == 200) != (queued == 1) {
				t.Fatalf("%d operations queued after a %d", queued, resp.StatusCode)
			}
		})
	}
}
