package store

import (
	"context"
	"log/slog"
	"time"

	"github.com/ionode/ionode/node/verify"
	"github.com/ionode/ionode/sidetree"
)

// verdictChunk is how many operations MigrateVerdicts computes and writes at a time: a full batch's
// worth, so that the parallel verification has work for every core and each write is one store batch.
const verdictChunk = 10_000

// verdictLogEvery spaces MigrateVerdicts's progress lines.
const verdictLogEvery = 10 * time.Second

// MigrateVerdicts computes, on every core, the signature verdicts of the operations that a version
// before verdicts were stored wrote without one, and stores them. Until it has reached an operation,
// resolution verifies that operation's signature itself, so the node serves correct answers meanwhile;
// it is a one-off pass (a store written by this version has nothing to migrate) that logs its progress.
func MigrateVerdicts(ctx context.Context, s VerdictBackfill, logger *slog.Logger) (int, error) {
	if logger == nil {
		logger = slog.Default()
	}
	start := time.Now()
	var last time.Time
	n, err := s.BackfillVerdicts(ctx, verdictChunk, func(ctx context.Context, ops []sidetree.AnchoredOperation) error {
		return verify.Verdicts(ctx, ops, 0)
	}, func(done int) {
		if now := time.Now(); last.IsZero() || now.Sub(last) >= verdictLogEvery {
			logger.Info("store: computing the signature verdicts of operations stored by an older version", "done", done)
			last = now
		}
	})
	if n > 0 || err != nil {
		logger.Info("store: signature verdicts migration ended", "operations", n, "took", time.Since(start).Round(time.Millisecond), "err", err)
	}
	return n, err
}
