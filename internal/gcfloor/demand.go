package gcfloor

import (
	"sync"
	"sync/atomic"
	"time"
)

// Demand decides, after every collection, whether the floor holds for the next cycle. The floor is worth
// its memory only while the process answers requests fast enough for collections to sit in their
// latency; a sync or a short-lived process (bench/compare's workers) pays it in fresh pages and gains
// nothing.
type Demand interface {
	Busy() bool
}

// DefaultBusyRate is the request rate from which a node holds its heap floor. Below it the node's ~4 KB
// per request fill the 8 MiB between collections of a ~16 MiB live heap at GC percent 50 in over two
// seconds, so a collection touches well under 1 % of requests; at 5,000/s it is one every 0.4 s.
const DefaultBusyRate = 1000

// RequestRate is a Demand: busy while requests have come at MinPerSecond or more since it was last
// asked, which is the last collection (a cycle under load is seconds long, so the rate is an average
// over a few seconds, not a burst).
type RequestRate struct {
	MinPerSecond float64
	Now          func() time.Time // nil: time.Now

	n atomic.Uint64

	mu    sync.Mutex
	lastN uint64
	lastT time.Time
}

// Add counts one request. It is on every request's path: one atomic addition.
func (r *RequestRate) Add() { r.n.Add(1) }

// Busy reports whether the requests counted since the previous call came at MinPerSecond or more. The
// first call only starts the count.
func (r *RequestRate) Busy() bool {
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	t, n := now(), r.n.Load()
	r.mu.Lock()
	defer r.mu.Unlock()
	prevT, prevN := r.lastT, r.lastN
	r.lastT, r.lastN = t, n
	if prevT.IsZero() {
		return false
	}
	elapsed := t.Sub(prevT).Seconds()
	if elapsed <= 0 {
		return false
	}
	return float64(n-prevN)/elapsed >= r.MinPerSecond
}
