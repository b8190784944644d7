package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
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
// The dispatcher writes each request on its connection itself and one reader goroutine per
// connection reads the answer (as wrk2 does), instead of handing each request to a client goroutine:
// on a two-core VM that handoff (waking another thread) delayed the send by up to a millisecond at
// the tail, which the latency from the due time would charge to the server. The requests are written
// out before the run starts, and Result.CPU and RunQueueWait cover the run alone.
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
	pool, err := dialPool(ctx, first.URL.Host, max(o.Conns, 1), o.Timeout, rec)
	if err != nil {
		return rec.res, err
	}
	defer pool.close()

	// Every request is written out before the run, so sending one costs a write and nothing else.
	raw, ends, err := render(first, total, next)
	if err != nil {
		return rec.res, err
	}
	interval := time.Duration(float64(time.Second) / o.Rate)
	pace := newPacer(o.Spin, interval)
	late := make([]time.Duration, 0, total)
	// The dispatcher sleeps on its own OS thread (sleepUntil), so requests leave when they are due.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0, proc0, wait0 := threadCPU(), report.Self().CPU(), report.RunQueueWait()
	start := time.Now()
	for i := 0; i < total; i++ {
		due := start.Add(time.Duration(i) * interval)
		pace.wait(ctx, due)
		if err = ctx.Err(); err != nil {
			break
		}
		var c *poolConn
		select {
		case c = <-pool.idle:
		case <-pool.dead:
			err = fmt.Errorf("no connection left: %w", pool.lastErr)
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			break
		}
		at := time.Now()
		late = append(late, at.Sub(due))
		from := 0
		if i > 0 {
			from = ends[i-1]
		}
		c.send(due, at, raw[from:ends[i]])
	}
	dispatched := time.Since(start)
	rec.res.Dispatcher = Dispatcher{CPU: threadCPU() - cpu0, Spun: pace.spun, Sleeps: pace.sleeps, Late: Summarize(late, dispatched)}
	pool.inflight.Wait()
	rec.res.Elapsed = time.Since(start)
	rec.res.CPU, rec.res.RunQueueWait = report.Self().CPU()-proc0, report.RunQueueWait()-wait0
	rec.res.Summary = Summarize(rec.res.Latencies, rec.res.Elapsed)
	rec.res.ServiceSummary = Summarize(rec.res.Service, rec.res.Elapsed)
	return rec.res, err
}

// Dispatcher is what the open loop's dispatcher cost and how late it sent.
type Dispatcher struct {
	CPU    time.Duration `json:"cpu"`    // the dispatcher thread's CPU time (0 where the OS cannot tell)
	Spun   time.Duration `json:"spun"`   // of which busy-waiting before due times
	Sleeps int           `json:"sleeps"` // nanosleeps
	// Late is how long after its due time each request was written (a late wake-up, a busy
	// connection pool or a CPU the dispatcher waited for); the latency from the due time includes it.
	Late Summary `json:"late"`
}

// pool is the open loop's connections; idle holds those with no request in flight.
type pool struct {
	idle     chan *poolConn
	conns    []*poolConn
	inflight sync.WaitGroup

	mu      sync.Mutex
	alive   int
	lastErr error         // the last failed redial; read after dead is closed
	dead    chan struct{} // closed when no connection is left
}

// poolConn is one connection and its reader goroutine. Only the reader replaces conn (after a failed
// or closing answer, before it puts the connection back in idle), so the dispatcher, which uses conn
// only between taking it from idle and handing the request to the reader, never races it.
type poolConn struct {
	p       *pool
	addr    string
	timeout time.Duration
	rec     *recorder
	conn    net.Conn
	br      *bufio.Reader
	pending chan sent
}

type sent struct{ due, at time.Time }

func dialPool(ctx context.Context, addr string, n int, timeout time.Duration, rec *recorder) (*pool, error) {
	p := &pool{idle: make(chan *poolConn, n), alive: n, dead: make(chan struct{})}
	for range n {
		c := &poolConn{p: p, addr: addr, timeout: timeout, rec: rec, pending: make(chan sent, 1)}
		if err := c.dial(ctx); err != nil {
			p.close()
			return nil, err
		}
		p.conns = append(p.conns, c)
		go c.read(ctx)
		p.idle <- c
	}
	return p, nil
}

func (p *pool) close() {
	for _, c := range p.conns {
		close(c.pending)
	}
}

func (c *poolConn) dial(ctx context.Context) error {
	conn, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	c.conn, c.br = conn, bufio.NewReader(conn)
	return nil
}

// send writes one request and hands its times to the reader; a failed write closes the connection,
// so the reader fails too and records the error.
func (c *poolConn) send(due, at time.Time, req []byte) {
	c.p.inflight.Add(1)
	conn := c.conn
	c.pending <- sent{due: due, at: at}
	if _, err := conn.Write(req); err != nil {
		conn.Close()
	}
}

func (c *poolConn) read(ctx context.Context) {
	for s := range c.pending {
		a, err := c.answer(s.at)
		c.rec.record(s.due, s.at, a.status, err)
		if err != nil || a.close {
			c.conn.Close()
			if derr := c.dial(ctx); derr != nil {
				c.p.inflight.Done()
				c.p.lost(derr)
				return
			}
		}
		c.p.inflight.Done()
		c.p.idle <- c
	}
	c.conn.Close()
}

// lost retires a connection that could not be dialed again.
func (p *pool) lost(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lastErr = err
	if p.alive--; p.alive == 0 {
		close(p.dead)
	}
}

// answer is what the open loop keeps of a response: its status, and whether the server closes the
// connection after it.
type answer struct {
	status int
	close  bool
}

// answer reads one response and its whole body. (A reader of our own, without the header map and body
// reader per answer, was tried: the generator's CPU per request did not move, as its cost is the
// kernel's and the scheduler's, so net/http's reader stays.)
func (c *poolConn) answer(sentAt time.Time) (answer, error) {
	c.conn.SetReadDeadline(sentAt.Add(c.timeout))
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return answer{}, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return answer{status: resp.StatusCode, close: resp.Close}, err
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
