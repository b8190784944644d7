package main

import (
	"context"
	"strings"
	"testing"
)

// TestSmoke runs the whole command on a small chain: blocks generated, accepted by btcd, scanned by
// real nodes over P2P, projected.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and three nodes")
	}
	var out strings.Builder
	if err := run(context.Background(), []string{"-blocks", "2", "-txs", "100", "-rounds", "1", "-cache", "", "-timeout", "3m"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"2 of 101 transactions", "btcd checked and stored them", "Projected scan of 258000 blocks", "bound: ", "Download of the range"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
