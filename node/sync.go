package node

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// ChainEvent is what the chain watcher reports, in chain order: a confirmed block's ION transactions
// (already selected by ION's per-block rules), or a reorganization that undid every transaction numbered
// above RevertAfter. Cursor is the watcher's position after the event, persisted so a restart resumes
// there.
type ChainEvent struct {
	Reorg        bool
	RevertAfter  uint64
	Height       uint64 // the block's height (for a reorg: the fork point)
	Tip          uint64 // the chain tip the watcher knows
	Transactions []Transaction
	Cursor       []byte
}

// CursorStore persists the watcher's position.
type CursorStore interface {
	PutCursor(ctx context.Context, cursor []byte) error
}

// Syncer applies chain events to the store through the observer, tracks sync progress for logs,
// metrics and readiness, and retries unresolvable transactions as time passes.
type Syncer struct {
	Observer *Observer
	Cursors  CursorStore
	// ReadyLag: the node is ready while it is at most this many blocks behind the tip.
	ReadyLag uint64
	// ProgressEvery is how often progress is logged while catching up (default 10 s).
	ProgressEvery time.Duration
	Metrics       *Metrics
	Logger        *slog.Logger

	mu        sync.Mutex
	height    uint64
	tip       uint64
	seen      bool
	ops       int // operations stored since the last progress line
	lastLog   time.Time
	lastH     uint64
	rate      float64 // operations per second over the last progress period
	blockRate float64 // blocks per second over the last progress period
}

// Handle applies one chain event. It is the watcher's handler: an error stops the watcher, which then
// resumes from the last persisted cursor.
func (s *Syncer) Handle(ctx context.Context, ev ChainEvent) error {
	if ev.Reorg {
		if err := s.Observer.Rollback(ctx, ev.RevertAfter); err != nil {
			return err
		}
	} else if len(ev.Transactions) > 0 {
		n, err := s.Observer.ProcessTransactions(ctx, ev.Transactions)
		if err != nil {
			return fmt.Errorf("block %d: %w", ev.Height, err)
		}
		s.mu.Lock()
		s.ops += n
		s.mu.Unlock()
	}
	if ev.Cursor != nil {
		if err := s.Cursors.PutCursor(ctx, ev.Cursor); err != nil {
			return fmt.Errorf("persist chain position: %w", err)
		}
	}
	if _, err := s.Observer.RetryUnresolvable(ctx, 100); err != nil {
		s.logger().Warn("retrying unresolvable transactions failed", "err", err)
	}
	s.advance(ev.Height, ev.Tip)
	return nil
}

// Resume starts the sync position at a persisted one: the node restarts with its store complete up to
// height, and reports that (and is ready, if the tip is close) before the watcher brings any new block,
// which on mainnet may take ten minutes. A block handled already wins.
func (s *Syncer) Resume(height, tip uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen {
		return
	}
	s.seen, s.lastLog, s.lastH = true, time.Now(), height
	s.height, s.tip = height, max(tip, height)
	s.Metrics.SetSync(s.height, s.tip)
}

func (s *Syncer) advance(height, tip uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if !s.seen {
		s.seen, s.lastLog, s.lastH = true, now, height
	}
	s.height, s.tip = height, max(tip, height)
	s.Metrics.SetSync(s.height, s.tip)
	every := s.ProgressEvery
	if every <= 0 {
		every = 10 * time.Second
	}
	if elapsed := now.Sub(s.lastLog); elapsed >= every {
		secs := elapsed.Seconds()
		s.rate = float64(s.ops) / secs
		s.blockRate = float64(height-min(height, s.lastH)) / secs
		behind := s.tip - s.height
		args := []any{"height", s.height, "tip", s.tip, "operations_per_second", int(s.rate), "blocks_per_second", round1(s.blockRate)}
		if behind > 0 && s.blockRate > 0 {
			args = append(args, "eta", (time.Duration(float64(behind)/s.blockRate) * time.Second).Round(time.Second))
		}
		s.logger().Info("sync progress", args...)
		s.ops, s.lastLog, s.lastH = 0, now, height
	}
}

func round1(f float64) float64 { return float64(int(f*10)) / 10 }

// Progress is the sync position for status endpoints.
type Progress struct {
	Height, Tip         uint64
	OperationsPerSecond float64
	BlocksPerSecond     float64
}

// Progress returns the current sync position.
func (s *Syncer) Progress() Progress {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Progress{Height: s.height, Tip: s.tip, OperationsPerSecond: s.rate, BlocksPerSecond: s.blockRate}
}

// Ready reports whether the node has caught up with the chain closely enough to answer resolutions.
func (s *Syncer) Ready(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.seen {
		return fmt.Errorf("not synced yet: no block processed")
	}
	if behind := s.tip - s.height; behind > s.ReadyLag {
		return fmt.Errorf("syncing: %d blocks behind the tip (height %d of %d)", behind, s.height, s.tip)
	}
	return nil
}

func (s *Syncer) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}
