package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, method, path string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandler(t *testing.T) {
	h := Handler()
	tests := []struct {
		method, path string
		status       int
		contentType  string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8"},
		{"HEAD", "/", 200, "text/html; charset=utf-8"},
		{"GET", "/explorer/app.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/explorer/style.css", 200, "text/css; charset=utf-8"},
		{"GET", "/explorer/index.html", 404, ""},
		{"GET", "/explorer/", 404, ""},
		{"GET", "/explorer/../web.go", 404, ""},
		{"GET", "/other", 404, ""},
	}
	for _, tc := range tests {
		resp := get(t, h, tc.method, tc.path, nil)
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
			continue
		}
		if tc.status != 200 {
			continue
		}
		if ct := resp.Header.Get("Content-Type"); ct != tc.contentType {
			t.Errorf("%s %s: Content-Type %q, want %q", tc.method, tc.path, ct, tc.contentType)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s %s: CSP %q", tc.method, tc.path, csp)
		}
		etag := resp.Header.Get("ETag")
		if etag == "" {
			t.Errorf("%s %s: no ETag", tc.method, tc.path)
		}
		if again := get(t, h, "GET", tc.path, map[string]string{"If-None-Match": etag}); again.StatusCode != http.StatusNotModified {
			t.Errorf("%s %s with its ETag = %d, want 304", tc.method, tc.path, again.StatusCode)
		}
	}
}

// TestPageIsSelfContained: the page works offline, so it names no other host, and every file it links
// is served.
func TestPageIsSelfContained(t *testing.T) {
	h := Handler()
	for _, path := range []string{"/", "/explorer/app.js", "/explorer/style.css"} {
		body, _ := io.ReadAll(get(t, h, "GET", path, nil).Body)
		if m := regexp.MustCompile(`(?i)(src|href|url)\s*[=(]\s*["']?(https?:)?//`).Find(body); m != nil {
			t.Errorf("%s loads from another host: %s", path, m)
		}
		if path != "/" {
			continue
		}
		for _, m := range regexp.MustCompile(`(?:src|href)="(/explorer/[^"]+)"`).FindAllSubmatch(body, -1) {
			if resp := get(t, h, "GET", string(m[1]), nil); resp.StatusCode != 200 {
				t.Errorf("the page links %s, which is not served (%d)", m[1], resp.StatusCode)
			}
		}
	}
}

// TestScriptKeepsSecretsAndHTMLOut: the wallet request page holds the admin token, so the script must
// never persist anything (storage, cookies) and never parse text as HTML (API data is rendered as text).
func TestScriptKeepsSecretsAndHTMLOut(t *testing.T) {
	body, _ := io.ReadAll(get(t, Handler(), "GET", "/explorer/app.js", nil).Body)
	for _, banned := range []string{"localStorage", "sessionStorage", "document.cookie", "indexedDB",
		"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if strings.Contains(string(body), banned) {
			t.Errorf("app.js uses %s", banned)
		}
	}
}
