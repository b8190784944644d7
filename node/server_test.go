package node

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

func TestRoutes(t *testing.T) {
	var logs bytes.Buffer
	ready := errors.New("3 blocks behind")
	metrics := NewMetrics()
	res := &ion.Resolver{Network: sidetree.Mainnet(), Log: memoryLog{}}
	rt := &Routes{
		API:     &API{Network: sidetree.Mainnet(), Resolver: res, Metrics: metrics, Version: "t"},
		Driver:  &Driver{Resolver: res, Metrics: metrics},
		Metrics: metrics,
		Ready:   func(context.Context) error { return ready },
		Logger:  slog.New(slog.NewJSONHandler(&logs, nil)),
	}
	srv := httptest.NewServer(rt.Handler())
	defer srv.Close()

	get := func(path string, header map[string]string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	tests := []struct {
		path   string
		status int
		body   string
	}{
		{"/healthz", 200, "ok"},
		{"/readyz", 503, "3 blocks behind"},
		{"/identifiers/did:web:example.com", 400, "did_"},
		{"/identifiers/did:ion:EiAx", 404, "did_not_found"},
		{"/1.0/identifiers/did:web:example.com", 400, "invalidDid"},
		{"/version", 200, `"didMethod":"ion"`},
	}
	for _, tc := range tests {
		resp, body := get(tc.path, nil)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.body) {
			t.Errorf("GET %s = %d %q, want %d containing %q", tc.path, resp.StatusCode, body, tc.status, tc.body)
		}
		if resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s: no X-Request-Id", tc.path)
		}
	}
	ready = nil
	if resp, _ := get("/readyz", nil); resp.StatusCode != 200 {
		t.Errorf("readyz = %d once ready", resp.StatusCode)
	}
	// A writer that cannot anchor is listed with its reason but does not take resolution out of service.
	rt.WriterReady = func(context.Context) error { return errors.New("fee budget reached until 2026-11-26T00:00:00Z") }
	readyTests := []struct {
		path   string
		status int
		body   string
	}{
		{"/readyz", 200, `"writer":{"ok":false,"error":"fee budget reached until 2026-11-26T00:00:00Z"}`},
		{"/readyz", 200, `"sync":{"ok":true}`},
		{"/readyz?check=writer", 503, `"ready":false`},
		{"/readyz?check=sync", 200, `"ready":true`},
		{"/readyz?check=disk", 400, "unknown_check"},
	}
	for _, tc := range readyTests {
		resp, body := get(tc.path, nil)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.body) {
			t.Errorf("GET %s = %d %s, want %d containing %s", tc.path, resp.StatusCode, body, tc.status, tc.body)
		}
	}
	rt.WriterReady = nil

	// The resolutions above are counted, with their latency.
	_, body := get("/metrics", nil)
	for _, want := range []string{`ionode_resolutions_total{status="400"} 2`, `ionode_resolution_duration_seconds_count{api="ion"} 2`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}

	// A caller's request id is kept and logged; a hostile one is replaced.
	resp, _ := get("/healthz", map[string]string{"X-Request-Id": "abc-123"})
	if got := resp.Header.Get("X-Request-Id"); got != "abc-123" {
		t.Errorf("request id = %q", got)
	}
	if !strings.Contains(logs.String(), `"request_id":"abc-123"`) {
		t.Errorf("access log lacks the request id: %s", logs.String())
	}
	resp, _ = get("/healthz", map[string]string{"X-Request-Id": "a\"b c"})
	if got := resp.Header.Get("X-Request-Id"); got == "a\"b c" || len(got) != 16 {
		t.Errorf("hostile request id kept: %q", got)
	}
}

func TestRoutesRecoverPanics(t *testing.T) {
	rt := &Routes{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Gateway: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	})}
	srv := httptest.NewServer(rt.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/ipfs/Qm")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 500 {
		t.Errorf("status = %d, want 500", resp.StatusCode)
	}
}
