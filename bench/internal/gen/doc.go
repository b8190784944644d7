// Package gen makes valid ION operation requests in bulk for the benchmarks: create requests that differ
// by their document (so each has its own DID suffix) and update requests signed with the DIDs' update
// key. All DIDs share one recovery key and one update key: the protocol commits per DID, and generating a
// secp256k1 key per DID would make the set-up, not the node, the slow part. Every update still carries its
// own delta and its own ES256K signature, so a node verifies one signature per update.
package gen
