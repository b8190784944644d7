package mongo

import (
	"fmt"
	"strings"
)

// shardKey is how one collection is sharded; collections without one stay unsharded.
type shardKey struct {
	collection, key, why string
}

// shardKeys are the store's shard keys. Every query and update on these collections either names the
// key (targeted at one shard: a DID's operations, generation and state, the hot paths) or is a
// scatter-gather that only rollbacks, re-processed transactions and the state hash make.
var shardKeys = []shardKey{
	{collOperations, "{ didSuffix: 1 }", "a DID's operations on one shard; the unique index didSuffix_txnNumber_opIndex starts with the key, as a sharded unique index must"},
	{collDIDs, "{ _id: 1 }", "generations, read and bumped by _id (the DID suffix)"},
	{collStates, "{ _id: 1 }", "cached states, read and written by _id (the DID suffix)"},
}

// unshardedCollections are small: a record per transaction, per queued operation or per wallet output.
var unshardedCollections = []string{collTransactions, collUnresolvable, collQueue, collCounters, collMeta, collUTXOs, collPendingTxs}

// ShardPlan returns the mongosh commands that shard the store's database on a sharded cluster. Run
// them on a mongos after the node has started once (which creates the indexes) and before the data
// grows: the DID suffixes are uniformly distributed hashes, so ranged keys spread evenly.
func ShardPlan(database string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "// Shard the ionode database %q: run in mongosh connected to a mongos.\n", database)
	fmt.Fprintf(&b, "sh.enableSharding(%q)\n", database)
	for _, k := range shardKeys {
		fmt.Fprintf(&b, "// %s: %s\n", k.collection, k.why)
		fmt.Fprintf(&b, "sh.shardCollection(%q, %s)\n", database+"."+k.collection, k.key)
	}
	fmt.Fprintf(&b, "// Left unsharded (small): %s\n", strings.Join(unshardedCollections, ", "))
	return b.String()
}
