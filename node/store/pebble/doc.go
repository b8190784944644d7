// Package pebble is the embedded store: a store.Store in one Pebble data directory, the node's
// zero-setup default. Pebble v2 (github.com/cockroachdb/pebble/v2) is used because it is the current
// stable major and the one go-ds-pebble already brings in for the IPFS blockstore: one engine, one
// version in the binary.
//
// Every write that must survive a crash is one synced batch (pebble.Sync), so a transaction's
// operations, its record and the chain watcher's cursor land together or not at all. Only the state
// cache (recomputed when lost) and wallet-exchange request sessions (which then fail) are written
// without sync; Pebble holds such writes in memory until its log is next written out, so even a process
// crash can lose them.
//
// # Key layout
//
// Each key starts with a one-byte prefix naming its record kind. Numbers in keys are fixed-width
// big-endian so that Pebble's byte order is numeric order; names (DID suffixes, txids) are raw bytes,
// terminated by 0x00 where more key follows (they may not contain NUL).
//
//	o <suffix> 00 <txnum:8> <index:4>   operation: type, block height, raw request
//	x <txnum:8> <index:4> <suffix>      empty: operations by transaction, for rollbacks
//	g <suffix>                          the DID's generation (8 bytes)
//	c <suffix>                          cached state: generation (8 bytes) + state
//	n <txnum:8>                         processed transaction
//	u <txnum:8>                         unresolvable transaction: transaction, attempts, times
//	r <nextRetry:8> <txnum:8>           empty: unresolvable transactions by next retry (Unix ns, sign flipped)
//	q <seq:8>                           queued operation: suffix, type, request, enqueue time
//	f <batch:8> <seq:8>                 in-flight operation (same value as q)
//	d <suffix>                          the DID's queued or in-flight seq (one operation per DID)
//	w <txid> 00 <vout:4>                UTXO: value, pkScript, height, reserved-by, spent-by
//	p <txid>                            pending transaction: raw, anchor, created, status
//	m <name>                            counters (generation, queue seq, batch seq) and the watcher cursor
//	s <id>                              request session (exchange): expires, version, data (not synced)
//	e <expires:8> <id>                  empty: sessions by expiry (Unix ns), so a sweep reads only what expired
//
// Values are sequences of unsigned/signed varints and varint-length-prefixed byte strings; times are
// Unix nanoseconds. An operation's (suffix, txnum, index) order is its key order, so a DID's log is one
// range scan and StateHash is one scan of the o prefix.
//
// The comparer is Pebble's bytewise order with one addition: an operation key's Split prefix is
// "o <suffix> 00", so bloom filters cover DIDs and reading a DID's operations skips the tables that hold
// none (comparer.go). Its name is stored with the data; a directory written with another comparer does
// not open.
//
// Generations come from one store-wide counter persisted in the same batch as the write that uses it:
// each write gives the DIDs it touches the next value, so a DID's generation never repeats, even across
// rollbacks and restarts.
package pebble
