// Package daemon is the long-running node process: it opens the store (MongoDB or the embedded one),
// the CAS (the embedded IPFS node or a Kubo), follows Bitcoin with the chain watcher into the observer,
// runs the batch writer with the node's wallet when it has a writer key, and serves the HTTP API. The
// `ionode serve` command and the end-to-end tests run it; cmd/ionode only parses flags.
package daemon
