package node

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

type cursorLog struct{ cursors [][]byte }

func (c *cursorLog) PutCursor(_ context.Context, cur []byte) error {
	c.cursors = append(c.cursors, cur)
	return nil
}

func TestSyncerEventsProgressAndReadiness(t *testing.T) {
	ctx := context.Background()
	store := &observerMemoryStore{}
	var logs bytes.Buffer
	o := &Observer{Store: store, Processor: &scriptedProcessor{}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	cursors := &cursorLog{}
	s := &Syncer{Observer: o, Cursors: cursors, ReadyLag: 1, ProgressEvery: time.Nanosecond, Metrics: NewMetrics(),
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	if err := s.Ready(ctx); err == nil {
		t.Error("ready before any block")
	}
	for h := uint64(10); h <= 12; h++ {
		ev := ChainEvent{Height: h, Tip: 14, Transactions: []Transaction{{Number: h * 1_000_000}, {Number: h*1_000_000 + 3}}, Cursor: []byte{byte(h)}}
		if err := s.Handle(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if len(store.ops) != 6 || len(cursors.cursors) != 3 {
		t.Fatalf("stored %d operations and %d cursors", len(store.ops), len(cursors.cursors))
	}
	if err := s.Ready(ctx); err == nil || !strings.Contains(err.Error(), "2 blocks behind") {
		t.Errorf("readiness 2 blocks behind: %v", err)
	}
	if !strings.Contains(logs.String(), "sync progress") || !strings.Contains(logs.String(), "eta=") {
		t.Errorf("no progress line with an ETA: %s", logs.String())
	}
	if err := s.Handle(ctx, ChainEvent{Height: 13, Tip: 14}); err != nil {
		t.Fatal(err)
	}
	if err := s.Ready(ctx); err != nil {
		t.Errorf("1 block behind with ReadyLag 1: %v", err)
	}
	// A reorg back to block 10 removes blocks 11 and 12's operations.
	if err := s.Handle(ctx, ChainEvent{Reorg: true, RevertAfter: 10_999_999, Height: 10, Tip: 14}); err != nil {
		t.Fatal(err)
	}
	if len(store.ops) != 2 {
		t.Errorf("after reorg %d operations remain, want 2", len(store.ops))
	}
	if p := s.Progress(); p.Height != 10 || p.Tip != 14 {
		t.Errorf("progress %+v", p)
	}
}

func TestSyncerResume(t *testing.T) {
	ctx := context.Background()
	o := &Observer{Store: &observerMemoryStore{}, Processor: &scriptedProcessor{}, Logger: slog.New(slog.DiscardHandler)}
	s := &Syncer{Observer: o, Cursors: &cursorLog{}, ReadyLag: 1, Metrics: NewMetrics(), Logger: slog.New(slog.DiscardHandler)}
	s.Resume(20, 21)
	if p := s.Progress(); p.Height != 20 || p.Tip != 21 {
		t.Errorf("progress after resuming at 20 of 21: %+v", p)
	}
	if err := s.Ready(ctx); err != nil {
		t.Errorf("resumed 1 block behind with ReadyLag 1: %v", err)
	}
	if err := s.Handle(ctx, ChainEvent{Height: 21, Tip: 25}); err != nil {
		t.Fatal(err)
	}
	s.Resume(20, 21) // too late: the handled block wins
	if p := s.Progress(); p.Height != 21 || p.Tip != 25 {
		t.Errorf("progress after a block and a late resume: %+v", p)
	}
	if err := s.Ready(ctx); err == nil {
		t.Error("ready 4 blocks behind")
	}
}
