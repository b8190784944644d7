package daemon

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ionode/ionode/internal/gcfloor"
)

// TestHTTPServerCountsRequestsForTheFloor: every request the server answers counts toward the heap
// floor's demand, so the floor holds under load and not without it.
func TestHTTPServerCountsRequestsForTheFloor(t *testing.T) {
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	rate := &gcfloor.RequestRate{MinPerSecond: gcfloor.DefaultBusyRate, Now: func() time.Time { return now }}
	d := &Daemon{cfg: DefaultConfig(), log: slog.New(slog.DiscardHandler), requests: rate}
	srv := d.newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	rate.Busy()
	serve := func(n int) {
		for range n {
			w := httptest.NewRecorder()
			srv.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/identifiers/did:ion:x", nil))
			if w.Code != http.StatusNoContent {
				t.Fatalf("status %d: the counting wrapper did not pass the request on", w.Code)
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
