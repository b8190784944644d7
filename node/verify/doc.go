// Package verify computes the signature verdicts of anchored operations on every core.
//
// A verdict (sidetree.ComputeVerdict: parse, validate, verify the JWS under the revealed key) depends
// only on an operation's bytes, so the node pays for it once, when it ingests a batch or migrates a
// store written by an older version, and stores it with the operation. The work of one batch is spread
// over GOMAXPROCS goroutines; each writes only its own operations' verdicts, so the result is exactly
// the sequential one, in the same order.
package verify
