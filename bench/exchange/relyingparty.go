package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/ionode/ionode/exchange"
)

// relyingParty is the callback endpoint of the relying party: it counts the events the node posts.
type relyingParty struct {
	url, key string
	srv      *http.Server
	mu       sync.Mutex
	events   map[exchange.Status]int
	bad      int // callbacks without the key or with an unreadable body
	changed  chan struct{}
}

func startRelyingParty() (*relyingParty, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &relyingParty{url: "http://" + l.Addr().String() + "/callback", key: exchange.RandomID(),
		events: map[exchange.Status]int{}, changed: make(chan struct{}, 1)}
	p.srv = &http.Server{Handler: http.HandlerFunc(p.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(l) }()
	return p, nil
}

func (p *relyingParty) serve(w http.ResponseWriter, r *http.Request) {
	var ev exchange.Event
	err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&ev)
	p.mu.Lock()
	if err != nil || r.Header.Get("Api-Key") != p.key {
		p.bad++
	} else {
		p.events[ev.RequestStatus]++
	}
	p.mu.Unlock()
	select {
	case p.changed <- struct{}{}:
	default:
	}
	w.WriteHeader(http.StatusNoContent)
}

// waitFor waits until n events of each status arrived or ctx ends, and returns the counts so far.
func (p *relyingParty) waitFor(ctx context.Context, n int, statuses ...exchange.Status) map[exchange.Status]int {
	for {
		p.mu.Lock()
		done := true
		for _, s := range statuses {
			done = done && p.events[s] >= n
		}
		counts := make(map[exchange.Status]int, len(p.events))
		for k, v := range p.events {
			counts[k] = v
		}
		p.mu.Unlock()
		if done {
			return counts
		}
		select {
		case <-ctx.Done():
			return counts
		case <-p.changed:
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (p *relyingParty) close() { _ = p.srv.Close() }
