package node

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gorilla/mux"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

func TestClientKey(t *testing.T) {
	tests := []struct{ remote, key string }{
		{"192.0.2.7:1234", "192.0.2.7"},
		{"[::ffff:192.0.2.7]:1234", "192.0.2.7"},
		{"[2001:db8:1:2:aaaa:bbbb:cccc:dddd]:443", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2::1]:1", "2001:db8:1:2::/64"},
		{"[fe80::1%eth0]:1", "fe80::/64"},
		{"not an address", "not an address"},
	}
	for _, tc := range tests {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tc.remote
		if got := clientKey(r); got != tc.key {
			t.Errorf("%s: key %q, want %q", tc.remote, got, tc.key)
		}
	}
}

// TestGatewayRatePerClient: GET /ipfs/{cid} is rate limited per client, one IPv6 /64 counting as one
// client.
func TestGatewayRatePerClient(t *testing.T) {
	served := 0
	rt := &Routes{
		Gateway:      http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { served++ }),
		GatewayRate:  0.001,
		GatewayBurst: 2,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	h := rt.Handler()
	get := func(remote string) int {
		r := httptest.NewRequest(http.MethodGet, "/ipfs/QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn", nil)
		r.RemoteAddr = remote
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code
	}
	for i, tc := range []struct {
		remote string
		status int
	}{
		{"[2001:db8::1]:1000", 200},
		{"[2001:db8::2]:1000", 200},
		{"[2001:db8::ffff:3]:1000", 429}, // the same /64: its burst is spent
		{"[2001:db8:0:1::1]:1000", 200},  // the next /64
		{"192.0.2.1:1000", 200},
		{"192.0.2.1:1001", 200},
		{"192.0.2.1:1002", 429},
		{"192.0.2.2:1000", 200},
	} {
		if got := get(tc.remote); got != tc.status {
			t.Errorf("request %d from %s: status %d, want %d", i, tc.remote, got, tc.status)
		}
	}
	if served != 6 {
		t.Errorf("the gateway served %d requests, want 6", served)
	}
}

// TestWriteGuardKeysIPv6On64: the write guard's per-IP rate counts a whole IPv6 /64 as one client.
func TestWriteGuardKeysIPv6On64(t *testing.T) {
	api := &API{Network: sidetree.Mainnet(), Resolver: &ion.Resolver{Network: sidetree.Mainnet(), Log: memoryLog{}},
		Queue: &memoryQueue{}, Guard: &WriteGuard{PerIP: 0.001, Burst: 1}}
	r := mux.NewRouter()
	api.Register(r)
	post := func(remote string) int {
		req := httptest.NewRequest(http.MethodPost, "/operations", nil)
		req.Body = io.NopCloser(bytes.NewReader(createBody(t)))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec.Code
	}
	if got := post("[2001:db8::1]:1"); got != 200 {
		t.Fatalf("first: %d", got)
	}
	if got := post("[2001:db8::beef]:1"); got != http.StatusTooManyRequests {
		t.Fatalf("another address of the same /64: %d, want 429", got)
	}
	if got := post("[2001:db8:0:5::1]:1"); got != 200 {
		t.Fatalf("another /64: %d, want 200", got)
	}
}
