package loadgen

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Request makes the i-th request.
type Request func(i int) (*http.Request, error)

// Result is what a run measured.
type Result struct {
	Sent      int             `json:"sent"`
	Errors    int             `json:"errors"` // transport errors (no HTTP status)
	FirstErr  string          `json:"first_error,omitempty"`
	Status    map[int]int     `json:"status"`
	Elapsed   time.Duration   `json:"elapsed"`
	Latencies []time.Duration `json:"-"`
	Summary   Summary         `json:"summary"`
	// Service is the open loop's latency from when each request was actually sent (Summary counts from
	// when it was due): the gap is time spent waiting for a connection or for the sender to wake up.
	Service []time.Duration `json:"-"`
	// RunQueueWait is the load generator's own time waiting for a CPU during the run (set by DIDs.Run; by the caller of the other runs).
	RunQueueWait   time.Duration `json:"run_queue_wait"`
	ServiceSummary Summary       `json:"service_summary"`
	// CPU is the load generator process's CPU time during the run (set by DIDs.Run).
	CPU time.Duration `json:"cpu"`
	// Dispatcher: the open loop's dispatcher thread (OpenLoop only).
	Dispatcher Dispatcher `json:"dispatcher"`
}

// Summary is the latency distribution of the answered requests.
type Summary struct {
	Count                    int           `json:"count"`
	P50, P90, P99, P999, Max time.Duration `json:"-"`
	Throughput               float64       `json:"throughput"` // answered requests per second
	// Microseconds, for the JSON the parent process reads.
	P50us, P90us, P99us, P999us, MaxUS float64
}

// Client is an HTTP client for loopback load: keep-alive, enough idle connections for every worker.
func Client(conns int, timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			IdleConnTimeout:     time.Minute,
		},
	}
}

type recorder struct {
	mu  sync.Mutex
	res Result
}

// record counts one answer (resp) or transport error, its latency from due and from sent.
func (r *recorder) record(due, sent time.Time, status int, err error) {
	took, service := time.Since(due), time.Since(sent)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.res.Sent++
	if err != nil || status == 0 {
		r.res.Errors++
		if r.res.FirstErr == "" && err != nil {
			r.res.FirstErr = err.Error()
		}
		return
	}
	r.res.Status[status]++
	r.res.Latencies = append(r.res.Latencies, took)
	r.res.Service = append(r.res.Service, service)
}

// ClosedLoop runs workers clients, each sending its next request as soon as the last is answered,
// for d.
func ClosedLoop(ctx context.Context, c *http.Client, workers int, d time.Duration, next Request) (Result, error) {
	rec := &recorder{res: Result{Status: map[int]int{}}}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		counter int
		firstEr error
	)
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				mu.Lock()
				i := counter
				counter++
				mu.Unlock()
				req, err := next(i)
				if err != nil {
					mu.Lock()
					firstEr = err
					mu.Unlock()
					return
				}
				t := time.Now()
				resp, err := c.Do(req)
				status := 0
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					status = resp.StatusCode
				}
				if ctx.Err() != nil { // cut off by the end of the run: not an answer
					return
				}
				rec.record(t, t, status, err)
			}
		}()
	}
	wg.Wait()
	rec.res.Elapsed = time.Since(start)
	rec.res.Summary = Summarize(rec.res.Latencies, rec.res.Elapsed)
	return rec.res, firstEr
}

// Summarize computes the percentiles (nearest rank) of latencies answered over elapsed.
func Summarize(latencies []time.Duration, elapsed time.Duration) Summary {
	s := Summary{Count: len(latencies)}
	if len(latencies) == 0 {
		return s
	}
	sorted := slices.Clone(latencies)
	slices.Sort(sorted)
	at := func(q float64) time.Duration { return NearestRank(sorted, q) }
	s.P50, s.P90, s.P99, s.P999, s.Max = at(0.50), at(0.90), at(0.99), at(0.999), sorted[len(sorted)-1]
	if elapsed > 0 {
		s.Throughput = float64(len(sorted)) / elapsed.Seconds()
	}
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	s.P50us, s.P90us, s.P99us, s.P999us, s.MaxUS = us(s.P50), us(s.P90), us(s.P99), us(s.P999), us(s.Max)
	return s
}

// NearestRank is the q-quantile of sorted durations by the nearest-rank method (the smallest value with
// at least q of them at or below it); 0 when there are none.
func NearestRank(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// Restore fills the durations from the microsecond fields after a JSON round trip.
func (s *Summary) Restore() {
	d := func(us float64) time.Duration { return time.Duration(us * float64(time.Microsecond)) }
	s.P50, s.P90, s.P99, s.P999, s.Max = d(s.P50us), d(s.P90us), d(s.P99us), d(s.P999us), d(s.MaxUS)
}

func (s Summary) String() string {
	r := func(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }
	return fmt.Sprintf("p50 %s, p90 %s, p99 %s, p99.9 %s, max %s; %d answers, %.0f/s", r(s.P50), r(s.P90), r(s.P99), r(s.P999), r(s.Max), s.Count, s.Throughput)
}
