// Package node is the long-running ION node: it ties the protocol core (sidetree) to Bitcoin (anchor),
// IPFS (cas) and storage (node/store). The observer reads anchors from the chain, fetches their batch files
// and stores the operations; the batch writer takes queued operations, writes their files and anchors them;
// the HTTP API accepts operations and resolves DIDs as ION's API does.
//
// Each dependency is a small interface declared here, next to the code that uses it.
package node
