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

// TestSmoke runs the whole benchmark at tiny sizes, creates then updates, synced by a fresh node
// process over bitswap; run fails unless every DID resolves with its update. The components wiring
// gets batches above ION's 100-operation no-lock limit, so the writer's value time lock is resolved;
// node/daemon gets batches at the limit.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd, two IPFS nodes and a node process")
	}
	for _, c := range []struct {
		wiring, batch string
		want          []string
	}{
		{"components", "150", []string{"create:300 update:150", "300 DIDs", "150 updates visible"}},
		{"daemon", "100", []string{"create:200 update:100", "200 DIDs", "100 updates visible"}},
	} {
		t.Run(c.wiring, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), []string{"-node", c.wiring, "-creates", "2", "-updates", "1", "-batch", c.batch, "-dir", t.TempDir()}, &out)
			t.Log(out.String())
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range append(c.want, "ingest rate", "processed:3", "| machine |") {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q", want)
				}
			}
		})
	}
}
