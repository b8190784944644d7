package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"time"

	"github.com/ionode/ionode/bench/internal/report"
)

// Open configures an open-loop run.
type Open struct {
	Rate     float64       // requests per second
	Duration time.Duration // how long requests are sent
	Conns    int           // keep-alive connections: the most requests in flight
	Timeout  time.Duration // per request, from when it was sent (0: 10 s)
	// Spin bounds the busy-wait before each request. On a VM a nanosleep wakes 0.1 ms late at the
	// median and up to a few ms at the tail, and that lateness is counted as the server's. The
	// dispatcher sleeps until a margin before each due time and spins the rest; the margin follows the
	// median lateness of the run's own sleeps, capped at Spin and at a quarter of the interval between
	// requests, so spinning costs at most min(Spin × Rate, 25 %) of a core. 0: sleep only.
	Spin time.Duration
}

// OpenLoop sends o.Rate requests per second for o.Duration, whatever the answers take, over o.Conns
// HTTP/1.1 keep-alive connections to the requests' host (all requests must share it). A request due
// while every connection is busy waits for one, and its latency counts the wait.
//
// One OS thread sends every request and reads every answer (eventLoop, Linux only): handing requests
// or answers between goroutines woke other threads, which on a two-core VM delayed sends by up to a
// millisecond at the tail (counted as the server's latency from the due time) and cost the generator
// as much CPU as the node it measured. The requests are written out before the run starts, and
// Result.CPU and RunQueueWait cover the run alone.
func OpenLoop(ctx context.Context, o Open, next Request) (Result, error) {
	total := int(o.Rate * o.Duration.Seconds())
	rec := &recorder{res: Result{Status: map[int]int{}, Latencies: make([]time.Duration, 0, total), Service: make([]time.Duration, 0, total)}}
	if total == 0 {
		return rec.res, nil
	}
	first, err := next(0)
	if err != nil {
		return rec.res, err
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	// Every request is written out before the run, so sending one costs a write and nothing else.
	raw, ends, err := render(first, total, next)
	if err != nil {
		return rec.res, err
	}
	// The loop's thread sleeps in epoll_pwait2 between due times, so requests leave when they are due.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	loop, err := newEventLoop(ctx, first.URL.Host, max(o.Conns, 1), o.Timeout, rec)
	if err != nil {
		return rec.res, err
	}
	defer loop.close()
	interval := time.Duration(float64(time.Second) / o.Rate)
	proc0, wait0 := report.Self().CPU(), report.RunQueueWait()
	start := time.Now()
	rec.res.Dispatcher, err = loop.run(start, interval, raw, ends, newPacer(o.Spin, interval))
	rec.res.Elapsed = time.Since(start)
	rec.res.CPU, rec.res.RunQueueWait = report.Self().CPU()-proc0, report.RunQueueWait()-wait0
	rec.res.Summary = Summarize(rec.res.Latencies, rec.res.Elapsed)
	rec.res.ServiceSummary = Summarize(rec.res.Service, rec.res.Elapsed)
	return rec.res, err
}

// Dispatcher is what the open loop's thread cost and how late it sent.
type Dispatcher struct {
	CPU    time.Duration `json:"cpu"`    // the loop thread's CPU time, sending and reading (0 where the OS cannot tell)
	Spun   time.Duration `json:"spun"`   // of which busy-waiting before due times
	Sleeps int           `json:"sleeps"` // waits that ran to their end (the others were woken by answers)
	// Late is how long after its due time each request was written (a late wake-up, a busy
	// connection pool or a CPU the loop waited for); the latency from the due time includes it.
	Late Summary `json:"late"`
}

// render writes requests 0..total-1 (first is request 0) one after the other into raw; request i is
// raw[ends[i-1]:ends[i]]. All must go to first's host.
func render(first *http.Request, total int, next Request) (raw []byte, ends []int, err error) {
	var buf bytes.Buffer
	ends = make([]int, total)
	for i := range total {
		req := first
		if i > 0 {
			if req, err = next(i); err != nil {
				return nil, nil, err
			}
		}
		if req.URL.Host != first.URL.Host {
			return nil, nil, fmt.Errorf("request %d goes to %s, not %s", i, req.URL.Host, first.URL.Host)
		}
		if req.Method != http.MethodGet || req.Body != nil {
			return nil, nil, fmt.Errorf("request %d: the open loop sends GET requests without a body, not %s", i, req.Method)
		}
		if err := req.Write(&buf); err != nil {
			return nil, nil, err
		}
		ends[i] = buf.Len()
	}
	return buf.Bytes(), ends, nil
}
