// Package kubo is a cas.Store backed by an external Kubo (go-ipfs) node
// through its HTTP RPC API, the way the ION reference node talks to IPFS
// (lib/ipfs/Ipfs.ts).
//
// Put posts the file to /api/v0/add with cid-version=0, the fixed 256 KiB
// chunker, no raw leaves and pin=true, and checks that the CID Kubo returns is
// the one `ipfs add` defaults give (cas.ComputeCID): a Kubo node whose Import
// settings were changed would otherwise write CIDs other ION nodes never
// compute.
//
// Get posts /api/v0/cat?arg=<cid>&length=<max+1> and reads at most max+1
// bytes of the answer, so an oversized file is detected without reading it
// whole; after a successful read it pins the file (as ION does) so the node
// keeps serving it. The context's deadline bounds the whole request (10 s when
// it has none, ION's fetch timeout). Kubo's answers map to cas's sentinels:
// a refused connection is cas.ErrUnreachable; a deadline, an error answer or
// a stream broken mid-way is cas.ErrNotFound; "this dag node is a directory"
// (or "…not a regular file") is cas.ErrNotAFile; a CID that cas.ParseCID
// refuses is cas.ErrInvalidCID before any request is made.
package kubo
