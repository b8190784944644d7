// Package chainbuild builds the regtest chain the sync benchmark replays: a btcd regtest started from
// the pinned module (package testnet), an embedded IPFS node holding the batch files, and a writer
// (anchor.Writer over an in-memory wallet store) that locks a value time lock large enough for full
// 10,000-operation batches and anchors one batch per block, each built by sidetree/batch.Build.
package chainbuild
