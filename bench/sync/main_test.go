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

// TestSmoke runs the whole benchmark at tiny sizes, synced by a fresh node process over bitswap; run
// fails unless every sampled DID resolves to the final state its operations give it. The components
// wiring gets creates then updates in batches above ION's 100-operation no-lock limit, so the writer's
// value time lock is resolved. The daemon gets the mix of all four operation types, a new lock every
// two batches, and the open-loop resolution load against the synced node.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd, two IPFS nodes and a node process")
	}
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"components", []string{"-node", "components", "-creates", "2", "-updates", "1", "-batch", "150"},
			[]string{"create:300 update:150", "created 150 of 150, updated 150 of 150", "resolved as expected: created 150, updated 150", "processed:3"}},
		{"daemon-mix", []string{"-node", "daemon", "-mix", "70/25/4/1", "-ops", "900", "-batch", "150", "-batches-per-lock", "2",
			"-sample", "60", "-resolve-rate", "100", "-resolve-duration", "1s"},
			[]string{"create:680 deactivate:5 recover:30 update:185", "processed:6", "3 value time locks",
				"created 31 of 460, updated 13 of 185, recovered 2 of 30, deactivated 1 of 5",
				"resolved as expected: created 31, updated 13, recovered 2, deactivated 1",
				"open loop 100 req/s for 1s, first resolutions", "open loop 100 req/s for 1s, after every sampled DID", "map[200:100]"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), append(c.args, "-dir", t.TempDir()), &out)
			t.Log(out.String())
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range append(c.want, "ingest rate", "bytes/op", "| machine |") {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q", want)
				}
			}
		})
	}
}
