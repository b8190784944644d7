package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ionode/ionode/bench/internal/childproc"
)

// TestMain lets the test binary play the load generator that run re-executes.
func TestMain(m *testing.M) {
	childproc.AsChild(os.Args, run)
	os.Exit(m.Run())
}

// TestSmoke runs the mix at a tiny size; run fails when a class gets an answer it must not (a valid
// resolution that is not 200, an oversized body that is not 413, …) or the over-rate client is never
// limited.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd, a node and a load generator process")
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"-dids", "200", "-requests", "1500", "-warmup", "100", "-rate", "500", "-slow", "5", "-rounds", "2", "-dir", t.TempDir()}, &out)
	t.Log(out.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"413:", "429:", "400:", "200:", "slow clients", "| growth |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
