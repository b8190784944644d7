// Package scantest runs a watcher's scan for benchmarks and tests and counts what it read.
package scantest

import (
	"context"

	"github.com/ionode/ionode/anchor"
)

// Count polls w once from an empty cursor and returns how many blocks and ION transactions it emitted.
func Count(ctx context.Context, w *anchor.Watcher) (blocks, transactions int, err error) {
	_, err = w.Poll(ctx, anchor.Cursor{}, func(_ context.Context, ev anchor.Event, _ anchor.Cursor) error {
		if blk, ok := ev.(*anchor.Block); ok {
			blocks++
			transactions += len(blk.Transactions)
		}
		return nil
	})
	return blocks, transactions, err
}
