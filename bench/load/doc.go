// Command load is the bounded load test of issue 10: a node (node/daemon with a writer key, so POST
// /operations is served with its limits) takes a mix of requests on loopback from a second process
// (this command re-executed), at a fixed rate:
//
//   - valid resolutions: GET /identifiers/{did} of stored DIDs (200), whose latency is reported;
//   - malformed DIDs: GET /identifiers/{garbage} (400);
//   - malformed operation requests: POST /operations with invalid bodies (400);
//   - oversized bodies: POST /operations larger than the node's limit (413);
//   - an over-rate client: POST /operations far above the per-IP write rate (429);
//
// while slow clients hold connections open by sending request headers one byte at a time (slowloris),
// reconnecting whenever the node drops them. Write clients use their own loopback source addresses
// (127.0.0.0/8) so the per-IP rate limit tells them apart as it would real clients.
//
// Before and after the mix (after a warm-up, and after a GC), the node's heap, RSS and goroutines are
// read, to show the run leaves nothing behind.
//
// Full size:
//
//	go run ./bench/load -requests 50000 -rate 1500 -slow 100
//
// Target (issue 10): valid resolutions p99 < 10 ms during the mix, no memory growth after it.
package main
