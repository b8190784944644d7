// Package p2pchain follows the Bitcoin chain straight from the peer-to-peer network, without a
// trusted node: it syncs block headers from several peers (getheaders), validates their proof of work,
// difficulty retargeting, timestamps (median time past, at most two hours ahead) and checkpoints with
// btcd's own rules and chaincfg parameters, and follows the branch with the most cumulative work
// ([HeaderChain], persisted as 80-byte records in a [HeaderFile]).
//
// Blocks are fetched with getdata from several peers in parallel and each is checked against its
// header before anyone sees it: its hash, its transactions' Merkle root and its witness commitment. A
// peer can therefore withhold a block but never alter one. Peers that send invalid headers or blocks
// are banned and replaced, peers that stall are replaced, and peers that announce blocks they then do
// not serve are recorded as withholding.
//
// [Source] puts this behind anchor.Chain, so the anchor.Watcher reads ION's anchors from it and
// handles reorganizations exactly as it does over RPC.
package p2pchain
