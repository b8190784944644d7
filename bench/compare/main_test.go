package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ionode/ionode/bench/internal/gen"
	"github.com/ionode/ionode/internal/gcfloor"
	"github.com/ionode/ionode/interop"
	"github.com/ionode/ionode/sidetree"
)

// TestMain lets the test binary be its own worker: measure starts os.Executable with workerEnv set.
func TestMain(m *testing.M) {
	if task := os.Getenv(workerEnv); task != "" {
		os.Exit(workerMain(task, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestCompareTiny runs the whole command on tiny inputs, one round: both sides must do every task (each
// worker checks its results: status 200 for every DID, every batch operation read) and every row must
// have a rate and a peak RSS for both.
func TestCompareTiny(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-tiny", "-rounds", "1", "-passes", "2"}, &out)
	if errors.Is(err, interop.ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skipf("%v (cd interop && npm ci)", err)
	}
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	row := regexp.MustCompile(`^\| [^|]+ \| ([0-9]+) [A-Za-z]+/s \| ([0-9]+) [A-Za-z]+/s \| ([0-9.]+)× \| [0-9]+/s \| [0-9]+/s \| ([0-9.]+) MiB \| ([0-9.]+) MiB \|$`)
	var got int
	for _, line := range strings.Split(out.String(), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		got++
		for _, v := range m[1:] {
			if strings.Trim(v, "0.") == "" {
				t.Errorf("a zero figure in %q", line)
			}
		}
	}
	if got != len(rows(tinySizes)) {
		t.Fatalf("%d task rows, want %d:\n%s", got, len(rows(tinySizes)), out.String())
	}
	if !strings.Contains(out.String(), "peak memory for reading that batch") {
		t.Fatalf("no memory row:\n%s", out.String())
	}
	limitsLine := regexp.MustCompile(`inflate ([0-9]+) MB/s .* JSON parse ([0-9]+) MB/s .* SHA-256 ([0-9]+) MB/s .* over the batch's ([0-9]+) files`)
	m := limitsLine.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no limits line:\n%s", out.String())
	}
	for _, v := range m[1:] {
		if strings.Trim(v, "0") == "" {
			t.Errorf("a zero figure in the limits line %q", m[0])
		}
	}
	// The kernel splits a process's CPU time into user and system by sampling ticks, so a pass of a few
	// milliseconds (the tiny batch) may come out all system or all user: only their sum must be there.
	split := regexp.MustCompile(`warm ionode ([0-9.]+) \+ ([0-9.]+) µs \(([0-9]+)\), reference ([0-9.]+) \+ ([0-9.]+) µs \([0-9]+\); cold`)
	m = split.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no user and system split of the batch's CPU:\n%s", out.String())
	}
	for _, side := range [][2]string{{m[1], m[2]}, {m[4], m[5]}} {
		if strings.Trim(side[0], "0.") == "" && strings.Trim(side[1], "0.") == "" {
			t.Errorf("no CPU time in the split %q", m[0])
		}
	}
	// Unless GOGC says otherwise, our worker runs at the node's collector setting.
	want := fmt.Sprintf("GC percent %d, no heap floor (the node's defaults)", gcfloor.DefaultPercent)
	if gcfloor.DefaultFloorMB > 0 {
		want = fmt.Sprintf("GC percent %d; the node's %d MiB heap floor holds only while it answers %d requests/s or more, so not here",
			gcfloor.DefaultPercent, gcfloor.DefaultFloorMB, gcfloor.DefaultBusyRate)
	}
	if _, set := os.LookupEnv("GOGC"); !set && !strings.Contains(out.String(), want) {
		t.Fatalf("no line saying our worker ran with the node's collector settings:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "inflating and parsing alone:") {
		t.Fatalf("no bound from the limits:\n%s", out.String())
	}
}

// TestWorkerRejectsWrongResults gives our worker DIDs that do not resolve (a long-form DID whose initial
// state is invalid; a DID without operations): the pass must fail rather than count them, so a broken
// resolution can never be reported as a rate.
func TestWorkerRejectsWrongResults(t *testing.T) {
	tests := []struct {
		task  string
		input any
	}{
		{"longform", []string{"did:ion:EiAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:eyJkZWx0YSI6e319"}},
		{"history", []didOps{{Suffix: "EiAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}},
	}
	for _, tc := range tests {
		t.Run(tc.task, func(t *testing.T) {
			dir := t.TempDir()
			if err := writeJSON(dir+"/"+tc.task+".json", tc.input); err != nil {
				t.Fatal(err)
			}
			if _, err := runWorker(tc.task, dir, 1); err == nil {
				t.Fatal("a DID that does not resolve was counted")
			}
		})
	}
}

// TestBatchReusedDir writes two batches into the same -dir: the limits must read only the second's
// files (a stale batch's files once made them measure both).
func TestBatchReusedDir(t *testing.T) {
	dir := t.TempDir()
	k, err := gen.NewKeys(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := sidetree.Mainnet().Latest()
	for _, n := range []int{40, 20} {
		if err := writeBatch(dir, k, n, p); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	// Half creates, half updates: a core index, a provisional index, a provisional proof and a chunk file.
	if len(entries) != 4 {
		t.Fatalf("%d files after writing a batch into a used directory, want the batch's 4", len(entries))
	}
}
