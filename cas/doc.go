// Package cas is content-addressed storage for ION batch files: put bytes,
// get a CID; get a CID's bytes with a maximum size and a deadline.
//
// # Interface
//
// Store has two methods. Put stores a file and returns its CIDv0 ("Qm…"),
// the form ION writes into anchor strings and batch files. Get takes a CID
// string (CIDv0 or CIDv1), a maximum size and a context whose deadline bounds
// the fetch; it reads at most maxSize+1 bytes. Its errors wrap sentinels
// matched with errors.Is, after the fetch results of the ION reference
// (lib/ipfs/Ipfs.ts, FetchResultCode):
//
//   - ErrNotFound: not obtained before the deadline (ION retries later).
//   - ErrUnreachable: the external IPFS node could not be reached (retried).
//   - ErrTooLarge: more than maxSize bytes (the batch is invalid).
//   - ErrInvalidCID: not a CID, or one no IPFS node would fetch (invalid).
//   - ErrNotAFile: a directory or other non-file (invalid).
//
// Permanent tells the invalid kinds from those worth retrying, as ION's
// TransactionProcessor does. Gateway serves any Store as `GET /ipfs/{cid}`;
// ComputeCID gives the CID of bytes without storing them (`ipfs add -n`).
//
// # Compatibility with `ipfs add`
//
// A CID is only useful to other ION nodes if it is the one their IPFS node
// computes for the same bytes. Put therefore builds exactly the DAG of
// `ipfs add` with Kubo's default settings: UnixFS files in dag-pb nodes,
// fixed 262,144-byte chunks, balanced layout with at most 174 links per node,
// no raw leaves, CIDv0 with SHA-256. Golden tests check the CIDs against ones
// Kubo produced (empty, "hello world\n", chunk boundaries, several MiB, and
// the 174/175-chunk tree boundary).
//
// # Implementations
//
// Node (OpenNode) is an embedded IPFS node, the default: boxo's bitswap over
// go-libp2p, a Pebble blockstore in a data directory, boxo's UnixFS importer
// and reader (multi-block files, every block verified against its CID). It
// fetches from and serves to other IPFS peers (Kubo included) that it is
// connected to: NodeConfig.Peers are dialled at start and kept connected.
// With NodeConfig.DHT on it also joins the IPFS DHT (go-libp2p-kad-dht):
// bitswap asks the DHT who provides a file it cannot get from connected peers,
// and the files Put stores are announced there and again every
// ReprovideInterval (files fetched from others are not announced). Without
// the DHT content is found only at connected peers.
//
// Package cas/kubo is a client of an external Kubo node's HTTP RPC API
// (/api/v0/add and /api/v0/cat), for operators who already run IPFS.
package cas
