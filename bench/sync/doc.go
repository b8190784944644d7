// Command sync measures how fast a fresh node ingests an ION chain from genesis.
//
// It builds a regtest chain (btcd from the pinned module, an embedded IPFS node holding the batch files,
// a writer with a real value time lock anchoring one full batch per block: creates, then updates of the
// first DIDs), then starts a fresh node in a child process that syncs the chain from genesis, fetching
// every batch file over bitswap from the builder's IPFS node. The child reports wall time, operations
// ingested per second, CPU seconds and peak RSS (getrusage ru_maxrss and /proc VmHWM); then it resolves
// a sample of the DIDs once (-sample; every DID when 0), which computes each DID's state from its
// operations and the signature verdicts stored at ingest, and checks that each resolves to the final
// state its operations give it. The ingest rate is compared with the single-core limit of the
// protocol core for the same mix of operations, measured first by the same work as the sidetree
// benchmarks (BenchmarkApplyCreate, BenchmarkApplyUpdate: parse + validate + apply, signature included).
//
// Full size (≥ 200,000 operations in 10,000-operation batches):
//
//	go run ./bench/sync -creates 20 -updates 1 -batch 10000
//
// A realistic mix (-mix creates/updates/recovers/deactivates in per cent, for -ops operations): the first
// batch creates, every later batch has the mix, its updates, recovers and deactivates targeting DIDs the
// batch before created, signed with the keys those DIDs committed to, so every operation applies. The
// builders generate batches on every core a few ahead of the chain (never the whole chain in memory),
// and the writer takes a new value time lock before the current one's 150 regtest blocks run out. With
// -resolve-rate the synced node (-node daemon) is then loaded over HTTP by bench/resolve's open-loop
// generator (bench/internal/loadgen) from a third process, before and after the sample is checked:
//
//	go run ./bench/sync -node daemon -mix 70/25/4/1 -ops 1000000 -resolve-rate 1000
//
// The node's store stays in -dir when one is given. The smoke test runs both kinds with tiny batches.
//
// Node wiring (-node): "daemon" starts node/daemon as `ionode serve` does; "components" wires the same
// components (Pebble or MongoDB store, embedded IPFS node, watcher, FileProcessor, Observer, Syncer)
// in the benchmark and gives the FileProcessor a lock resolver, ionrules.ResolveLock over the btcd
// RPC, for as long as node/daemon does not resolve value time locks itself (without one a batch above
// 100 operations is invalid under ION's rules and the node would ingest nothing).
package main
