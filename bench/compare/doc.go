// Command compare measures ionode against the ION reference node side by side, on identical inputs, one
// core each: ours as a child process of this command with GOMAXPROCS=1 and the node's collector settings
// (internal/gcfloor.Apply with the node's defaults, as `ionode serve` runs: GC percent 50, and a heap
// floor that holds only while the node answers many requests, so never in the worker; GOGC, when set, wins), the reference
// (@decentralized-identity/sidetree 1.0.6, installed by `npm ci` in interop/) as a Node.js child process.
// The sides alternate over several rounds; every round starts a fresh process per side and task, so each
// task's peak RSS (the child's own VmHWM) is its own and the first pass of each process is a cold one.
//
// Tasks (issue #19's table):
//   - longform: long-form resolution of ion-sdk DIDs (made by ion-sdk itself through interop/reference.mjs);
//   - history: one DID with a create and a chain of updates, resolved from its operations;
//   - many: many DIDs, each a create and a few updates, resolved from their operations;
//   - batch: a batch (half creates, half updates) read from disk, parsed and validated: warm passes, and
//     the cold first pass in a fresh process; its peak RSS is the memory row;
//   - limits (ours only, once a round): what bounds the batch task, measured on the batch's own files by
//     our worker on one core: inflate, JSON parse and SHA-256 throughput, and how far past the reference
//     a reader could go if inflating and parsing were all it did.
//
// Throughput is counted in CPU time (user + system of the whole process, collector and V8's helper threads
// included): on a shared machine wall time mostly measures the other processes. Wall-clock figures are
// printed beside it.
//
//	go run ./bench/compare                 # the sizes, 3 rounds
//	go run ./bench/compare -tiny -rounds 1  # seconds: proves the command works
package main
