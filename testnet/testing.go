package testnet

import (
	"context"
	"testing"
	"time"
)

// StartTest starts a node for a test and stops it when the test ends, failing the test on either
// error: the one helper every package's integration tests can share.
func StartTest(tb testing.TB, cfg Config) *Node {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	n, err := Start(ctx, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := n.Stop(); err != nil {
			tb.Error(err)
		}
	})
	return n
}
