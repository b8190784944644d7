package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestMain lets the test binary play the node process that run re-executes.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "-role" {
		if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
			os.Stderr.WriteString("sync node: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestSmoke runs the whole benchmark at a tiny size: batches above ION's 100-operation no-lock limit
// (so the value time lock is resolved), creates then updates, synced by a fresh node process over
// bitswap; run fails unless every DID resolves with its update.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd, two IPFS nodes and a node process")
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"-creates", "2", "-updates", "1", "-batch", "150", "-dir", t.TempDir()}, &out)
	t.Log(out.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ingest rate", "create:300 update:150", "processed:3", "300 DIDs", "150 updates visible", "| machine |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
