// Package mongo is the MongoDB store: a store.Store over the official driver
// (go.mongodb.org/mongo-driver/v2), for production nodes and for read-only resolver replicas sharing
// one database.
//
// It needs no multi-document transactions, so it works against a standalone server as well as a
// replica set. Instead every write is idempotent and multi-step writes are ordered so that a crash at
// any point is repaired by re-applying them: a transaction's operations first (unordered bulk insert,
// duplicate keys counted as already stored), then the generations of its DIDs, then the transaction
// record, then the watcher cursor. Every call runs under a deadline (Options.Timeout unless the
// caller's context ends sooner); retryable reads and writes are on. In read-only mode no index is
// created and every write returns store.ErrReadOnly.
//
// # Collections and indexes (created at Open)
//
//	operations    {didSuffix, txnNumber, opIndex, txnTime, type, raw}
//	              didSuffix_txnNumber_opIndex  {didSuffix:1, txnNumber:1, opIndex:1}  unique
//	                  one DID's log in order; idempotent inserts; StateHash's full ordered scan
//	              txnNumber                    {txnNumber:1}
//	                  rollbacks
//	dids          {_id: suffix, gen}                          generation, only ever $inc'd
//	states        {_id: suffix, gen, state}                   cached state and the generation it was computed at
//	transactions  {_id: txnNumber, time, timeHash, anchorString, feePaid, normalizedFee, writer}
//	unresolvable  {_id: txnNumber, transaction, attempts, firstFetch, nextRetry}
//	              nextRetry_id                 {nextRetry:1, _id:1}
//	                  due retries in order
//	queue         {_id: suffix, seq, type, request, enqueued, batch}   batch "" while queued
//	              batch_seq                    {batch:1, seq:1}
//	                  FIFO front, depth, one batch's operations, in-flight batches
//	counters      {_id: "queue", n}                           queue positions
//	meta          {_id: "watcher-cursor", value}
//	utxos         {_id: "txid:vout", txid, vout, value, pkScript, height, reservedBy, spentBy}
//	pendingtxs    {_id: txid, raw, anchor, created, status}
//	sessions      {_id: id, data, version, expires}           wallet-exchange requests; expires in Unix ms
//	              expires                      {expires:1}
//	                  the sweep of expired records (every 1,024 session writes of a process)
//
// Session writes (PutSession, SwapSession, DeleteSession) also work on a read-only store: replicas behind
// a load balancer serve wallets and must share request state.
//
// All other reads are by _id. Numbers are BSON int64 (values above 2^63-1 are rejected); times are Unix
// nanoseconds in int64, because BSON dates keep only milliseconds and retry times must round-trip
// exactly.
//
// Generations: PutOperations bumps a DID's generation after inserting its operations and Operations
// reads the generation before the operations, so a resolver racing the observer can only cache a state
// under a generation that is already stale. RollbackAfter bumps before and after deleting.
package mongo
