package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
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
	res, err := OpenLoop(context.Background(), Open{Rate: 200, Duration: 200 * time.Millisecond, Conns: 1, Timeout: 5 * time.Second, Spin: 100 * time.Microsecond}, next)
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
	// The one connection is busy, so the dispatcher itself sends late: its lateness says so.
	if d := res.Dispatcher; d.Late.Count != 40 || d.Late.Max < 400*time.Millisecond || (runtime.GOOS == "linux" && d.CPU <= 0) {
		t.Fatalf("dispatcher %+v: want 40 sends, the last ≥ 400 ms late, its CPU counted", d)
	}
	// Two workers that each wait for an answer of at least 20 ms get at most 2 × 1 s / 20 ms answers
	// in a second, however fast the machine; how many fewer depends on its load, so only one is asked for.
	closed, err := ClosedLoop(context.Background(), Client(2, 5*time.Second), 2, time.Second, next)
	if n := closed.Status[http.StatusTeapot]; err != nil || n < 1 || n > 100 || closed.Summary.P50 < 20*time.Millisecond {
		t.Fatalf("closed loop: %v %v %+v", err, closed.Status, closed.Summary)
	}
}

// TestOpenLoopConnections: answers that close their connection are followed by a new one, and a
// server that drops connections without answering is counted as transport errors, not waited for.
func TestOpenLoopConnections(t *testing.T) {
	for _, tc := range []struct {
		name       string
		handler    http.HandlerFunc
		wantStatus int
	}{
		{"connection close", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusAccepted)
		}, http.StatusAccepted},
		{"dropped", func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			next := func(int) (*http.Request, error) { return http.NewRequest("GET", srv.URL+"/x", nil) }
			res, err := OpenLoop(context.Background(), Open{Rate: 500, Duration: 100 * time.Millisecond, Conns: 2, Timeout: 2 * time.Second}, next)
			if err != nil {
				t.Fatal(err)
			}
			if res.Sent != 50 {
				t.Fatalf("sent %d, want 50", res.Sent)
			}
			if tc.wantStatus != 0 && (res.Status[tc.wantStatus] != 50 || res.Errors != 0) {
				t.Fatalf("status %v, errors %d (%s)", res.Status, res.Errors, res.FirstErr)
			}
			if tc.wantStatus == 0 && (res.Errors != 50 || res.FirstErr == "") {
				t.Fatalf("errors %d (%q), status %v", res.Errors, res.FirstErr, res.Status)
			}
		})
	}
}

// TestOpenLoopServerGone: when no connection can be dialed again the run stops with an error instead
// of waiting for a connection forever.
func TestOpenLoopServerGone(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
	}))
	url := srv.URL
	next := func(i int) (*http.Request, error) {
		if i == 5 {
			srv.CloseClientConnections()
			srv.Listener.Close()
		}
		return http.NewRequest("GET", url, nil)
	}
	defer srv.Close()
	done := make(chan error, 1)
	go func() {
		_, err := OpenLoop(context.Background(), Open{Rate: 1000, Duration: time.Second, Conns: 1, Timeout: time.Second}, next)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("no error after the server went away")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the open loop kept waiting for a connection")
	}
}

// TestOpenLoopTimeout: a server that never answers costs each request its timeout, counted as a
// transport error, and the run ends instead of waiting for the answers.
func TestOpenLoopTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // the client gave up and closed the connection
	}))
	defer srv.Close()
	next := func(int) (*http.Request, error) { return http.NewRequest("GET", srv.URL, nil) }
	start := time.Now()
	res, err := OpenLoop(context.Background(), Open{Rate: 100, Duration: 100 * time.Millisecond, Conns: 4, Timeout: 100 * time.Millisecond}, next)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 10 || res.Errors != 10 || !strings.Contains(res.FirstErr, "no answer within") {
		t.Fatalf("sent %d, errors %d (%q), status %v", res.Sent, res.Errors, res.FirstErr, res.Status)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("the run took %v", took)
	}
}
