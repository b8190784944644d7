// Package anchor is the Bitcoin side of an ION node: it reads ION anchor transactions from the chain and
// writes the node's own.
//
// Reading. An ION transaction is a Bitcoin transaction with an OP_RETURN output carrying "ion:" and an
// anchor string "<operation count>.<core index file URI>" ([ParseAnchorString]), whose first input is
// signed by a key whose P2PKH output it spends (the writer). The [Watcher] follows the chain through a
// small RPC interface ([Chain], implemented over btcsuite's rpcclient in HTTP POST mode by [RPC], for
// btcd and Bitcoin Core alike), from a configured genesis height, and emits, in order, one [Block]
// event per block with its ION transactions (numbered height × 1,000,000 + index, [TransactionNumber];
// fee paid from the spent outputs; writer from the first input) and a [Reorg] event when the chain it
// followed was replaced, naming the last transaction number that survives. It keeps no state of its
// own: the caller persists the [Cursor] that comes with each event and resumes from it.
//
// Which transactions count is exactly what ION's bitcoin service reports (SidetreeTransactionParser):
// scripts are matched through the same text rendering bitcore-lib gives them, so odd scripts are
// accepted or ignored as ION does. Transactions whose anchor string is malformed are still reported
// (ION reports them, and they take their writer's one slot per block in the transaction selector);
// [Transaction.Anchor] tells the caller they are invalid.
//
// Writing. The [Writer] owns one secp256k1 key ([Key], never logged), learns its outputs from the blocks
// the watcher scans ([Writer.ApplyBlock]) and from a Bitcoin Core wallet where one exists, and anchors a
// string by building, signing and broadcasting a P2PKH-signed transaction with the OP_RETURN output and
// change back to itself; it tracks its pending transactions to confirmation, rebroadcasts dropped ones
// and replaces (RBF) stuck ones. Its records live in a [WalletStore] the caller provides, so a restart
// never spends an output twice. Value time locks (the reference's lock transactions) are built and
// released by [Writer.Lock] and [Writer.ReleaseLock].
package anchor
