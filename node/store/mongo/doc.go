// Package mongo is the MongoDB store: a store.Store over the official driver
// (go.mongodb.org/mongo-driver/v2), for production nodes and for read-only resolver replicas sharing
// one database.
//
// # What it needs of the server
//
// No multi-document transactions and no change streams: every write is idempotent and multi-step writes
// are ordered so that a crash at any point is repaired by re-applying them: a transaction's operations
// first (unordered bulk insert, duplicate keys counted as already stored), then the generations of its
// DIDs, then the transaction record, then the watcher cursor. So it runs on a standalone server, a
// replica set or a sharded cluster (MongoDB 4.4 or later), and on FerretDB.
//
// Open detects the deployment from the server's hello and buildInfo replies and logs it ("mongo store:
// connected" with server, topology, replica set, reads). On a standalone server it warns once: the
// driver turns retryable writes off there (a write cut off by a network error fails; the observer then
// retries the whole transaction) and there is no failover. A replica set of one member already gives
// retryable writes; three give failover. That, not transactions, is why the compose file runs a
// replica set of one.
//
// On FerretDB (buildInfo names its version) bulk updates go in commands of at most 32 statements, a
// limit of FerretDB v1 (see ferretUpdateChunk); on MongoDB each is one unordered bulk write.
//
// # Reads and consistency
//
// A writing node reads from the primary only: Open refuses a writer URI whose readPreference is not
// primary (ErrReadPreference), because two reads of one resolution, the generation and then the
// operations, could hit secondaries at different points and cache a stale state under a current
// generation. Options.ReadPrimary (ionode serve --mongodb-read-primary) pins reads to the primary
// whatever the URI says. A read-only replica (Options.ReadOnly) may read from secondaries
// (readPreference=secondaryPreferred in its URI): its reads then run with majority read concern, and the
// reads of one call in one causally consistent session, so the operations it reads are never older than
// the generation it read before them.
//
// Every call runs under a deadline (Options.Timeout unless the caller's context ends sooner). In
// read-only mode no index is created and every write returns store.ErrReadOnly.
//
// # Indexes
//
// Open starts creating the indexes in the background and returns; each index reports when it is ready,
// and a build still running reports its progress every 15 s (from currentOp where the server allows
// it). Writes and a DID's operations wait for the build (logged once per kind of call, with
// ErrIndexesBuilding when their deadline comes first): the unique index is what makes re-inserting an
// operation idempotent, and without the didSuffix index every resolution would scan the collection.
// Creating an index that exists is a no-op, so on an existing database the build ends at once.
//
// # Collections and indexes (created in the background from Open)
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
//
// # Sharding
//
// On a sharded cluster, shard operations on {didSuffix: 1} (the unique index starts with it, as a
// sharded unique index must) and dids and states on {_id: 1} (the DID suffix); the other collections are
// small and stay unsharded. `ionode store shard-plan` (ShardPlan) prints the sh.shardCollection
// commands. The hot paths are targeted at one shard: a DID's operations by didSuffix, its generation and
// state by _id, inserts by their key, and replacing a stored operation by didSuffix and _id. Only
// rollbacks, the re-processing of a transaction already stored (by txnNumber) and the state hash (a full
// ordered scan) are scatter-gather.
//
// # Certifying a MongoDB deployment
//
// The store's tests run against FerretDB on SQLite and on PostgreSQL; against MongoDB they need a URI:
//
//	MONGODB_URI='mongodb://host:27017/?replicaSet=rs0' go test -count=1 -bench . -benchtime 5x ./node/store/mongo/
//
// runs the conformance and crash suites, the explain checks (TestQueriesUseIndexes: every query of the
// node uses an index, no collection scan or in-memory sort) and the ingest and read benchmarks there,
// each test in a database of its own that it drops.
package mongo
