package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the test binary play the load generator that run re-executes.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "-role" {
		if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
			os.Stderr.WriteString("resolve loadgen: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestSmoke runs the benchmark at a tiny size; run fails unless every request was answered 200.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd, a node and a load generator process")
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"-dids", "250", "-rate", "200", "-duration", "1s", "-closed-duration", "500ms", "-closed-workers", "2", "-dir", t.TempDir(), "-trace", filepath.Join(t.TempDir(), "warm.trace")}, &out)
	t.Log(out.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"250 DIDs", "open loop 200 req/s", "closed loop 2 clients", "map[200:", "| machine |", "node's garbage collector | ", " cycles, live heap ", " mark phases, ", "heap allocation per request"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
