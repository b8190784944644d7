// Package verify computes the signature verdicts of anchored operations on every core.
//
// A verdict (whether an operation's JWS verifies under the key it reveals) depends only on an
// operation's bytes, so the node pays for it once and stores it with the operation. Two entry points:
//
//   - Start and Pending.Apply, at ingest: the verdicts come from the parts the batch reader has already
//     parsed (sidetree.PartsVerdict), handed over before the reader goes on to the chunk file, so the
//     signatures are checked on GOMAXPROCS−1 goroutines while the reader finishes, and the reader's
//     goroutine joins them after.
//   - Verdicts, for operations known only by their bytes (a store written by an older version, a batch
//     whose read failed part-way): sidetree.ComputeVerdict, which parses each body again.
//
// Each goroutine writes only its own operations' verdicts, so the result is exactly the sequential one,
// in the same order.
package verify
