package mongo

import (
	"strings"
	"testing"
)

// TestShardKeysMatchIndexes checks each shard key against the indexes: a sharded collection needs an
// index that starts with its key, and its unique indexes must start with the key.
func TestShardKeysMatchIndexes(t *testing.T) {
	for _, k := range shardKeys {
		field := strings.TrimSpace(strings.Split(strings.Trim(k.key, "{ }"), ":")[0])
		if field == "_id" {
			continue // every collection has its _id index
		}
		found := false
		for _, ix := range indexes {
			if ix.collection != k.collection {
				continue
			}
			startsWithKey := ix.keys[0].Key == field
			if ix.unique && !startsWithKey {
				t.Errorf("%s: unique index %s does not start with the shard key %s", k.collection, ix.name, field)
			}
			found = found || startsWithKey
		}
		if !found {
			t.Errorf("%s: no index starts with the shard key %s", k.collection, field)
		}
	}
	plan := ShardPlan("ionode")
	for _, c := range unshardedCollections {
		if strings.Contains(plan, `"ionode.`+c+`"`) {
			t.Errorf("plan shards the small collection %s", c)
		}
	}
}
