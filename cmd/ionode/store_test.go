package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestStoreShardPlan(t *testing.T) {
	var out, errOut bytes.Buffer
	root := newRootCommand(&out, &errOut)
	root.SetArgs([]string{"store", "shard-plan", "--mongodb-database", "ion"})
	if err := root.Execute(); err != nil {
		t.Fatal(err, errOut.String())
	}
	for _, want := range []string{
		`sh.enableSharding("ion")`,
		`sh.shardCollection("ion.operations", { didSuffix: 1 })`,
		`sh.shardCollection("ion.dids", { _id: 1 })`,
		`sh.shardCollection("ion.states", { _id: 1 })`,
	} {
		if !strings.Contains(out.String(), want+"\n") {
			t.Errorf("shard plan lacks %s:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), `"ion.queue"`) || strings.Contains(out.String(), `"ion.transactions"`) {
		t.Errorf("shard plan shards a small collection:\n%s", out.String())
	}
}
