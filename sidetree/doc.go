// Package sidetree is the Sidetree protocol as ION runs it, pure: no network, disk, clock or goroutines.
//
// It computes what every ION node must compute identically: base64url and SHA-256 multihashes, canonical
// JSON (RFC 8785), DID suffixes, reveal values and commitments; it parses and validates the four operations
// (create, update, recover, deactivate) with ION's exact rules and error codes, verifies their ES256K
// signatures, applies patches, follows the commitment chains to a DID's state (Resolve), and composes the
// resolution result ION returns from GET /identifiers/{did} (ResolveDID, ResolutionResult), for short-form
// and long-form DIDs. It also builds operation requests and long-form DIDs as ion-sdk does.
//
// The reference is the ION node's code (decentralized-identity/sidetree v1.0.6, which ION mainnet runs),
// not the prose specification: where they differ the reference wins, because it is what other nodes
// compute. JSON is handled with JavaScript's semantics (see Value) because the reference's outputs are
// JSON.stringify of JavaScript objects.
//
// Everything that does I/O (Bitcoin, IPFS, storage, HTTP) lives in other packages and hands this one bytes.
package sidetree
