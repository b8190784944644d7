// Command sync measures how fast a fresh node ingests an ION chain from genesis.
//
// It builds a regtest chain (btcd from the pinned module, an embedded IPFS node holding the batch files,
// a writer with a real value time lock anchoring one full batch per block: creates, then updates of the
// first DIDs), then starts a fresh node in a child process that syncs the chain from genesis, fetching
// every batch file over bitswap from the builder's IPFS node. The child reports wall time, operations
// ingested per second, CPU seconds and peak RSS (getrusage ru_maxrss and /proc VmHWM); then it resolves
// every DID once, which computes each DID's state (the update signatures are verified then, as in ION,
// whose observer stores operations unverified). Both rates are compared with the single-core limit of the
// protocol core for the same mix of operations, measured first by the same work as the sidetree
// benchmarks (BenchmarkApplyCreate, BenchmarkApplyUpdate: parse + validate + apply, signature included).
//
// Full size (≥ 200,000 operations in 10,000-operation batches):
//
//	go run ./bench/sync -creates 20 -updates 1 -batch 10000
//
// The smoke test runs it with a few tiny batches.
//
// Node wiring (-node): "daemon" starts node/daemon as `ionode serve` does; "components" wires the same
// components (Pebble or MongoDB store, embedded IPFS node, watcher, FileProcessor, Observer, Syncer)
// in the benchmark and gives the FileProcessor a lock resolver, ionrules.ResolveLock over the btcd
// RPC, for as long as node/daemon does not resolve value time locks itself (without one a batch above
// 100 operations is invalid under ION's rules and the node would ingest nothing).
package main
