package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	var lat []time.Duration
	for i := 100; i >= 1; i-- {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	s := Summarize(lat, 2*time.Second)
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{{"p50", s.P50, 50 * time.Millisecond}, {"p90", s.P90, 90 * time.Millisecond}, {"p99", s.P99, 99 * time.Millisecond}, {"max", s.Max, 100 * time.Millisecond}} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if s.Throughput != 50 {
		t.Errorf("throughput %v, want 50", s.Throughput)
	}
}

// TestOpenLoopChargesTheQueue: a server slower than the rate makes later requests wait; their
// latency counts from when they were due, so it grows past the service time.
func TestOpenLoopChargesTheQueue(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
	next := func(int) (*http.Request, error) { return http.NewRequest("GET", srv.URL, nil) }
	res, err := OpenLoop(context.Background(), Client(1, 5*time.Second), 200, 200*time.Millisecond, 100*time.Microsecond, next)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status[http.StatusTeapot] != 40 || res.Errors != 0 {
		t.Fatalf("status %v errors %d", res.Status, res.Errors)
	}
	// 40 requests due over 200 ms, served one at a time at 20 ms: the last waits ≈ 600 ms.
	if res.Summary.Max < 400*time.Millisecond {
		t.Fatalf("max latency %v does not include the queueing", res.Summary.Max)
	}
	closed, err := ClosedLoop(context.Background(), Client(2, 5*time.Second), 2, 200*time.Millisecond, next)
	if err != nil || closed.Status[http.StatusTeapot] < 10 || closed.Summary.P50 < 20*time.Millisecond {
		t.Fatalf("closed loop: %v %+v", err, closed.Summary)
	}
}
