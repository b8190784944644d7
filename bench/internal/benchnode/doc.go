// Package benchnode prepares and starts the node the HTTP benchmarks load: Populate stores DIDs in a
// node's embedded store through the observer's own code path (batch files built by sidetree/batch,
// put in an IPFS node, read back by node.FileProcessor and stored by node.Observer), and Serve starts
// node/daemon over that data directory as `ionode serve` does, against a btcd regtest from the pinned
// module.
package benchnode
