// Package batch builds and parses ION's five batch files, exactly as the reference's CoreIndexFile,
// ProvisionalIndexFile, CoreProofFile, ProvisionalProofFile and ChunkFile do (sidetree 1.0.6), and
// composes the anchored operations a transaction carries, as its TransactionProcessor does. Like the
// rest of sidetree it is pure: fetching and storing files is the caller's.
//
// A batch is written bottom-up, each file naming the ones below it by CID:
//
//	chunk file            deltas of creates, recovers, updates (in that order)
//	provisional proof     update signed data
//	core proof            recover and deactivate signed data
//	provisional index  →  chunk file, provisional proof file; update references
//	core index         →  provisional index file, core proof file; create, recover, deactivate references
//
// and anchored as "<operation count>.<core index file CID>". A reader walks it top-down in two stages.
// The core stage (core index file, core proof file) decides whether the transaction counts at all: if a
// core file is invalid the whole batch is discarded. The provisional stage (provisional index, provisional
// proof, chunk file) can only lose what it adds: if one of its files is invalid or missing, the core
// operations are kept without their deltas and the updates are dropped.
//
// Where the reference meets a JavaScript TypeError in a malformed file (null where an object belongs), it
// retries the transaction forever; this package reports the file as invalid. What either stores is the
// same (see interop's hostile batch test).
//
// Every file is gzip-compressed JSON. Decompression stops once the output passes the file's limit times
// the reference's estimated decompression multiplier (3), so a gzip bomb costs at most that much memory.
// The two large files of a batch, the chunk file and the provisional proof file, are read one element at
// a time when they have the plain shape an honest writer gives them, and each delta is kept as its text:
// a 10,000-operation batch is not held as whole-file trees (~24 MB for its chunk file alone).
package batch
