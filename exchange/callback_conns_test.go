package exchange_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ionode/ionode/exchange"
)

// TestCallbacksReuseConnections: callbacks in flight together to one relying party reuse their
// connections in the next rounds instead of dialing anew (a dial per callback costs the node a TCP,
// and in production a TLS, handshake per exchange step).
func TestCallbacksReuseConnections(t *testing.T) {
	const inFlight, rounds = 16, 3
	var (
		conns   atomic.Int32
		mu      sync.Mutex
		arrived int
		release = make(chan struct{})
	)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Hold each round's callbacks until all of them arrived, so that they are in flight together.
		mu.Lock()
		arrived++
		gate := release
		if arrived == inFlight {
			arrived = 0
			close(release)
			release = make(chan struct{})
		}
		mu.Unlock()
		<-gate
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	d := loopbackDispatcher()
	cb := &exchange.Callback{URL: srv.URL + "/cb"}
	for range rounds {
		var wg sync.WaitGroup
		for range inFlight {
			wg.Go(func() {
				if err := d.Deliver(context.Background(), cb, exchange.Event{RequestID: "r", RequestStatus: exchange.StatusRetrieved}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	if n := conns.Load(); n > inFlight {
		t.Fatalf("%d connections for %d rounds of %d callbacks in flight together: want at most %d", n, rounds, inFlight, inFlight)
	}
}
