// Package signer is ionode's one way to sign: every signing path (Bitcoin anchor inputs, ION operation
// JWS, VC/VP, status-list and linked-domain JWTs) asks a Signer to sign a digest and never sees a private
// key. A Signer names its key, reports its public key and algorithm, and signs.
//
// Backends: Local (a key held in memory, read from a file or an environment variable by the package that
// owns that file format) lives here; PKCS#11 tokens live in signer/pkcs11. Wrappers add what every backend
// needs the same way: Checked verifies each signature against the public key (a token that signs with the
// wrong key or returns garbage fails loudly, before a transaction or credential leaves the node), Retry
// retries transient failures with backoff, and Observe records Prometheus metrics.
//
// Signatures are returned as R||S (64 bytes) for ECDSA, with low S for secp256k1 as Bitcoin (BIP 62/146)
// and ES256K verifiers require; DER converts one for a Bitcoin input.
package signer
