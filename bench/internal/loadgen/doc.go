// Package loadgen drives an HTTP server at a fixed rate (open loop) or as fast as a fixed number of
// clients can (closed loop) and summarizes what came back: latency percentiles, status codes and the
// throughput achieved.
//
// Open-loop latency is measured from the moment a request was due, not from when it was sent, so a
// server that falls behind is charged for the queue it causes (no coordinated omission).
package loadgen
