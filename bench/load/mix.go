package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ionode/ionode/bench/internal/loadgen"
)

// class is a kind of request in the mix.
type class string

const (
	valid      class = "valid resolution"
	badDID     class = "malformed DID"
	badBody    class = "malformed operation"
	oversized  class = "oversized body"
	overRate   class = "over-rate client"
	slowClient class = "slow client"
)

var classes = []class{valid, badDID, badBody, oversized, overRate}

// share is each class's part of the mix, in percent.
var share = map[class]int{valid: 70, badDID: 15, badBody: 5, oversized: 5, overRate: 5}

// classResult is what one class got back.
type classResult struct {
	Sent     int             `json:"sent"`
	Status   map[int]int     `json:"status"`
	Errors   int             `json:"errors"`
	FirstErr string          `json:"first_error,omitempty"`
	Summary  loadgen.Summary `json:"summary"`
	lat      []time.Duration
}

// mixResult is the load generator's report.
type mixResult struct {
	Classes map[class]*classResult `json:"classes"`
	Elapsed time.Duration          `json:"elapsed"`
	Slow    slowResult             `json:"slow"`
	// RunQueueWait is the load generator's time waiting for a CPU during the mix.
	RunQueueWait time.Duration `json:"run_queue_wait"`
}

// sourceClient is a keep-alive client whose connections come from one loopback source address.
func sourceClient(ip string, conns int) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{
		DialContext: d.DialContext, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, IdleConnTimeout: time.Minute,
	}}
}

// clients: resolutions from 127.0.0.1; the over-rate client from 127.0.0.3; the other writers spread
// over 127.0.1.1-127.0.1.64, each well under the per-IP rate.
type clients struct {
	resolve  *http.Client
	overRate *http.Client
	writers  []*http.Client
}

func newClients(conns int) *clients {
	c := &clients{resolve: sourceClient("127.0.0.1", conns), overRate: sourceClient("127.0.0.3", 8)}
	for i := 1; i <= 64; i++ {
		c.writers = append(c.writers, sourceClient(fmt.Sprintf("127.0.1.%d", i), 2))
	}
	return c
}

func (c *clients) close() {
	for _, cl := range append([]*http.Client{c.resolve, c.overRate}, c.writers...) {
		cl.CloseIdleConnections()
	}
}

// malformedDIDs are identifiers the resolver must refuse with 400, or 501 for a method the node does not
// resolve (a short-form suffix of any shape is only looked up, and answered 404, as by ION). None needs
// the network: a did:web would measure the name server, not the node.
var malformedDIDs = []string{
	"did:ion:test:EiA", "not-a-did", "did:ion:EiDyOQbbZAa3aiRzeCkV7LOx3SERjjH93EXoIM3UoN4oWg:bm90LWpzb24",
	"did:ion:EiDyOQbbZAa3aiRzeCkV7LOx3SERjjH93EXoIM3UoN4oWg:" + strings.Repeat("e", 500), "did:ionx:EiA", "DID:ION:EiA",
}

// malformedBodies are operation requests the node must refuse with 400.
var malformedBodies = []string{
	`{`, `[]`, `{"type":"create"}`, `{"type":"update","didSuffix":"x"}`, `{"type":"deactivate","didSuffix":"EiA","revealValue":"x","signedData":"a.b.c"}`,
	`{"type":"nope"}`, `null`, `{"type":"create","suffixData":{},"delta":{}}`,
}

// request makes the i-th request of the mix and says which client sends it.
func request(i int, base string, suffixes []string, c *clients, big []byte) (class, *http.Client, *http.Request, error) {
	r := rand.New(rand.NewPCG(uint64(i), 0x10ad))
	pick := r.IntN(100)
	var k class
	for _, cl := range classes {
		if pick < share[cl] {
			k = cl
			break
		}
		pick -= share[cl]
	}
	writer := c.writers[r.IntN(len(c.writers))]
	var (
		req *http.Request
		err error
	)
	switch k {
	case valid:
		req, err = http.NewRequest(http.MethodGet, base+"/identifiers/did:ion:"+suffixes[r.IntN(len(suffixes))], nil)
		return k, c.resolve, req, err
	case badDID:
		req, err = http.NewRequest(http.MethodGet, base+"/identifiers/"+malformedDIDs[r.IntN(len(malformedDIDs))], nil)
		return k, c.resolve, req, err
	case badBody:
		req, err = http.NewRequest(http.MethodPost, base+"/operations", strings.NewReader(malformedBodies[r.IntN(len(malformedBodies))]))
		return k, writer, req, err
	case oversized:
		req, err = http.NewRequest(http.MethodPost, base+"/operations", bytes.NewReader(big))
		return k, writer, req, err
	default:
		req, err = http.NewRequest(http.MethodPost, base+"/operations", strings.NewReader(malformedBodies[r.IntN(len(malformedBodies))]))
		return overRate, c.overRate, req, err
	}
}

// runMix sends n requests at rate per second (open loop) and records each class's answers; valid
// resolutions' latency counts from when each was due.
func runMix(ctx context.Context, base string, suffixes []string, n int, rate float64, bodySize int, c *clients) (mixResult, error) {
	res := mixResult{Classes: map[class]*classResult{}}
	for _, k := range classes {
		res.Classes[k] = &classResult{Status: map[int]int{}}
	}
	big := bytes.Repeat([]byte("x"), bodySize)
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	for i := 0; i < n; i++ {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			select {
			case <-ctx.Done():
				return res, ctx.Err()
			case <-time.After(wait):
			}
		}
		k, cl, req, err := request(i, base, suffixes, c, big)
		if err != nil {
			return res, err
		}
		if req.Method == http.MethodPost {
			req.Header.Set("Content-Type", "application/json") // the node answers 415 to any other type
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := cl.Do(req.WithContext(ctx))
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			took := time.Since(due)
			mu.Lock()
			defer mu.Unlock()
			cr := res.Classes[k]
			cr.Sent++
			if resp == nil {
				cr.Errors++
				if cr.FirstErr == "" {
					cr.FirstErr = err.Error()
				}
				return
			}
			cr.Status[resp.StatusCode]++
			cr.lat = append(cr.lat, took)
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	for _, cr := range res.Classes {
		cr.Summary = loadgen.Summarize(cr.lat, res.Elapsed)
	}
	return res, nil
}
