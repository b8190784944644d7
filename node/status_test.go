package node

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/mux"
	"github.com/ionode/ionode/sidetree"
)

type fixedDepth int

func (q fixedDepth) QueueDepth(context.Context) (int, error) { return int(q), nil }

func TestStatusEndpoint(t *testing.T) {
	tests := []struct {
		name   string
		status *Status
		check  func(t *testing.T, rep StatusReport)
	}{
		{"full node", &Status{
			Network: sidetree.Mainnet(), Version: "1.2.3",
			Progress: func() Progress {
				return Progress{Height: 750, Tip: 1000, OperationsPerSecond: 12.5, BlocksPerSecond: 3}
			},
			Ready:   func(context.Context) error { return errors.New("syncing: 250 blocks behind") },
			Queue:   fixedDepth(7),
			CAS:     func(context.Context) error { return nil },
			Bitcoin: func(context.Context) error { return errors.New("connection refused") },
		}, func(t *testing.T, rep StatusReport) {
			s := rep.Sync
			if rep.Network != "mainnet" || rep.Version != "1.2.3" || rep.DIDMethod != "ion" || !rep.AcceptsOperations {
				t.Errorf("identity: %+v", rep)
			}
			if s == nil || s.Height != 750 || s.Tip != 1000 || s.BlocksBehind != 250 || s.Progress != 0.75 || s.OperationsPerSecond != 12.5 || s.Ready || s.NotReadyReason == "" {
				t.Errorf("sync: %+v", s)
			}
			if rep.Queue == nil || rep.Queue.Depth != 7 {
				t.Errorf("queue: %+v", rep.Queue)
			}
			if c := rep.Connectivity; c.CAS == nil || !c.CAS.OK || c.Bitcoin == nil || c.Bitcoin.OK || c.Bitcoin.Error != "connection refused" {
				t.Errorf("connectivity: cas %+v bitcoin %+v", c.CAS, c.Bitcoin)
			}
		}},
		{"from the genesis block", &Status{
			Network: sidetree.Mainnet(), Genesis: 667_000,
			Progress: func() Progress { return Progress{Height: 768_500, Tip: 870_000} },
		}, func(t *testing.T, rep StatusReport) {
			if s := rep.Sync; s == nil || s.Progress != 0.5 || s.BlocksBehind != 101_500 {
				t.Errorf("sync: %+v", s)
			}
		}},
		{"before the first block", &Status{
			Network: sidetree.Mainnet(), Genesis: 667_000,
			Progress: func() Progress { return Progress{Height: 0, Tip: 870_000} },
		}, func(t *testing.T, rep StatusReport) {
			if s := rep.Sync; s == nil || s.Progress != 0 {
				t.Errorf("sync: %+v", s)
			}
		}},
		{"read-only resolver", &Status{Network: sidetree.Mainnet(), Version: "x"}, func(t *testing.T, rep StatusReport) {
			if rep.Sync != nil || rep.Queue != nil || rep.Connectivity.CAS != nil || rep.Connectivity.Bitcoin != nil || rep.AcceptsOperations {
				t.Errorf("a node without chain, queue or CAS: %+v", rep)
			}
		}},
		{"hung probe", &Status{Network: sidetree.Mainnet(), CAS: func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }}, func(t *testing.T, rep StatusReport) {
			if rep.Connectivity.CAS == nil || rep.Connectivity.CAS.OK || rep.Connectivity.CAS.Error == "" {
				t.Errorf("a probe that hangs: %+v", rep.Connectivity.CAS)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := mux.NewRouter()
			tc.status.Register(r)
			srv := httptest.NewServer(r)
			defer srv.Close()
			start := time.Now()
			status, body := do(t, http.MethodGet, srv.URL+"/status", "")
			if status != 200 {
				t.Fatalf("%d %s", status, body)
			}
			if d := time.Since(start); d > statusCheckTimeout+2*time.Second {
				t.Errorf("took %v", d)
			}
			var rep StatusReport
			if err := json.Unmarshal([]byte(body), &rep); err != nil {
				t.Fatal(err)
			}
			tc.check(t, rep)
		})
	}
}

func TestStatusProbesAreShared(t *testing.T) {
	var calls atomic.Int32
	s := &Status{Network: sidetree.Mainnet(), Bitcoin: func(context.Context) error { calls.Add(1); return nil }}
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if rep := s.Report(ctx); rep.Connectivity.Bitcoin == nil || !rep.Connectivity.Bitcoin.OK {
				t.Errorf("bitcoin: %+v", rep.Connectivity.Bitcoin)
			}
		})
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("10 concurrent reports probed Bitcoin %d times, want 1", n)
	}
	s.mu.Lock()
	s.checkedTime = time.Now().Add(-connectivityTTL)
	s.mu.Unlock()
	s.Report(ctx)
	if n := calls.Load(); n != 2 {
		t.Fatalf("a report after the TTL probed %d times in all, want 2", n)
	}
}
