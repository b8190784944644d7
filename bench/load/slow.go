package main

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"
)

// slowResult is what the slow clients saw.
type slowResult struct {
	Clients     int           `json:"clients"`
	Connections int           `json:"connections"` // connections opened in all
	Dropped     int           `json:"dropped"`     // closed by the node while still sending headers
	HoldP50     time.Duration `json:"hold_p50"`    // how long the node kept a dropped connection
	HoldMax     time.Duration `json:"hold_max"`
	DialErrors  int           `json:"dial_errors"`
}

// slowloris keeps clients connections open from 127.0.0.4, each sending a request's headers one byte
// every interval and never finishing them; a connection the node closes is replaced.
func slowloris(ctx context.Context, addr string, clients int, interval time.Duration) slowResult {
	res := slowResult{Clients: clients}
	var (
		mu    sync.Mutex
		holds []time.Duration
		wg    sync.WaitGroup
	)
	header := []byte(fmt.Sprintf("GET /identifiers/did:ion:slow HTTP/1.1\r\nHost: %s\r\nUser-Agent: slowloris\r\n", addr))
	d := &net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.4")}}
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				conn, err := d.DialContext(ctx, "tcp", addr)
				if err != nil {
					mu.Lock()
					res.DialErrors++
					mu.Unlock()
					select {
					case <-ctx.Done():
					case <-time.After(interval):
					}
					continue
				}
				mu.Lock()
				res.Connections++
				mu.Unlock()
				opened := time.Now()
				dropped := false
				for i := 0; ctx.Err() == nil; i = (i + 1) % len(header) {
					conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
					if _, err := conn.Write(header[i : i+1]); err != nil {
						dropped = true
						break
					}
					// A closed connection shows on the next write or as EOF on a short read.
					conn.SetReadDeadline(time.Now().Add(interval))
					var b [512]byte
					if _, err := conn.Read(b[:]); err != nil {
						if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
							dropped = true
							break
						}
					}
				}
				conn.Close()
				if dropped {
					mu.Lock()
					res.Dropped++
					holds = append(holds, time.Since(opened))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if len(holds) > 0 {
		slices.Sort(holds)
		res.HoldP50, res.HoldMax = holds[len(holds)/2], holds[len(holds)-1]
	}
	return res
}
