// Package mainnetblocks builds regtest blocks shaped like today's Bitcoin mainnet blocks, for measuring
// how fast the node scans the chain: about 3,000 transactions and 1.5 MB each, spending P2WPKH, P2TR
// (key path), P2PKH and P2WSH 2-of-3 multisig outputs with real signatures (so btcd accepts them with
// its full consensus checks), with one to many inputs and outputs, witness data, and a few OP_RETURN
// outputs per block: most not ION's, some ION-like (an "ion:" anchor paid from a P2PKH input that the
// watcher reports, one paid from a segwit input that ION ignores, and one that only looks like it).
//
// Generation is deterministic for a seed and does no I/O; Submit hands the blocks to a btcd node.
package mainnetblocks
