// Command resolve measures DID resolution over HTTP: a node (node/daemon, embedded Pebble store)
// holding -dids DIDs (stored through the observer's code path, states materialized), loaded from a
// second process on loopback (this command re-executed as the load generator) at a fixed rate (open
// loop: latency counted from when each request was due), then by a fixed number of clients as fast as
// they can (closed loop: the maximum throughput). Requests are GET /identifiers/{did} for DIDs drawn
// uniformly from the stored set. The open loop runs twice: right after the node started (cold block
// cache) and after a warm-up that resolves every DID once (a node that has been serving a while).
//
// Full size:
//
//	go run ./bench/resolve -dids 100000 -rate 1000 -duration 30s -closed-duration 10s
//
// Target (issue 6): p99 < 2 ms at 1,000 requests/s. The smoke test runs it with tiny sizes.
package main
