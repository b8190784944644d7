// Command mainnet projects, from measurements, how long a node takes to scan ION's range of Bitcoin
// mainnet (blocks 667,000 to 925,000) over the peer-to-peer network, as `ionode serve --bitcoin-peers`
// does, and says what bounds it.
//
// It builds blocks shaped like today's mainnet blocks (internal/mainnetblocks: ~3,000 transactions,
// ~1.5 MB, real signatures, a few OP_RETURNs, one ION-like anchor each; cached between runs), has a
// local btcd check and store them, then starts the real node (node/daemon, Pebble store) in this
// process with btcd as its only Bitcoin peer and no RPC. Each round a fresh node scans the blocks; the
// command measures the node's CPU time, btcd's CPU time (its serving), the bytes the node writes to
// disk and the wall time, per block. A first run against a chain without the mainnet-shaped blocks
// measures what starting and stopping a node costs, which is subtracted.
//
// The projection multiplies the medians by the range's 258,000 blocks: the wall time here (node and
// btcd sharing this machine's cores), the node's CPU time spread over the cores (the node alone, its
// peers elsewhere), btcd's, the disk's bytes, and apart from those the download at -mbit.
//
//	go run ./bench/mainnet -blocks 20 -rounds 3
package main
