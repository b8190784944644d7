package writer

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is an injectable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// wallet is the test chain plus the durable record of fees the real wallet keeps (PendingTx.Fee and
// Created): what a restarted node reads its day's spending from.
type wallet struct {
	*chain
	clock  *clock
	mu     sync.Mutex
	spends []Spend
}

func (w *wallet) Anchor(ctx context.Context, anchor string, minFee uint64) (string, uint64, error) {
	txid, fee, err := w.chain.Anchor(ctx, anchor, minFee)
	if err == nil {
		w.mu.Lock()
		w.spends = append(w.spends, Spend{TxID: txid, At: w.clock.Now(), Fee: fee})
		w.mu.Unlock()
	}
	return txid, fee, err
}

func (w *wallet) Spends(_ context.Context, since time.Time) ([]Spend, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []Spend
	for _, s := range w.spends {
		if !s.At.Before(since) {
			out = append(out, s)
		}
	}
	return out, nil
}

type budgetMetrics struct{ spent, budget uint64 }

func (m *budgetMetrics) BatchAnchored(string, uint64)      {}
func (m *budgetMetrics) SetQueueDepth(int)                 {}
func (m *budgetMetrics) SetFeeBudget(spent, perDay uint64) { m.spent, m.budget = spent, perDay }

func TestFeeBudgetStopsAndResumes(t *testing.T) {
	ctx := context.Background()
	clk := &clock{now: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
	q, c := &memQueue{}, newChain()
	wal := &wallet{chain: c, clock: clk}
	metrics := &budgetMetrics{}
	newBudgeted := func() *Writer {
		w := newWriter(q, c)
		w.Anchorer = wal
		w.Metrics = metrics
		w.Budget = &FeeBudget{PerDay: 700, Log: wal, Now: clk.Now}
		return w
	}
	w := newBudgeted()
	q.add(450)

	// A batch of 100 pays 3 × 100 + 10 = 310 satoshis: two fit in 700, a third does not.
	for i := range 2 {
		if n, err := w.WriteOnce(ctx); n != 100 || err != nil {
			t.Fatalf("batch %d: %d %v", i+1, n, err)
		}
		c.mine(6)
		clk.set(clk.Now().Add(2 * time.Hour))
	}
	if metrics.spent != 620 || metrics.budget != 700 {
		t.Errorf("metrics: spent %d of %d, want 620 of 700", metrics.spent, metrics.budget)
	}
	n, err := w.WriteOnce(ctx)
	var be *BudgetError
	if n != 0 || !errors.As(err, &be) || !errors.Is(err, ErrBudgetReached) {
		t.Fatalf("third batch: %d %v, want a budget error", n, err)
	}
	nextDay := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	if !be.Until.Equal(nextDay) || be.Spent != 620 {
		t.Errorf("budget error %+v", be)
	}
	if d, _ := q.QueueDepth(ctx); d != 250 {
		t.Errorf("queued after the budget is reached: %d, want 250", d)
	}
	if err := w.Budget.Ready(ctx); err == nil || !strings.Contains(err.Error(), "fee budget reached until 2026-11-26T00:00:00Z") {
		t.Errorf("Ready = %v", err)
	}
	if len(c.anchors) != 2 {
		t.Errorf("%d transactions, want 2", len(c.anchors))
	}

	// A restart reads the day's spending back from the wallet: still stopped.
	w = newBudgeted()
	clk.set(nextDay.Add(-time.Minute))
	if n, err := w.WriteOnce(ctx); n != 0 || !errors.Is(err, ErrBudgetReached) {
		t.Fatalf("after restart: %d %v", n, err)
	}
	// The next UTC day: anchoring resumes.
	clk.set(nextDay.Add(time.Second))
	if err := w.Budget.Ready(ctx); err != nil {
		t.Errorf("Ready on the next day = %v", err)
	}
	if n, err := w.WriteOnce(ctx); n != 100 || err != nil {
		t.Fatalf("next day: %d %v", n, err)
	}
	if metrics.spent != 310 {
		t.Errorf("spent on the new day = %d, want 310", metrics.spent)
	}
}

// TestFeeBudgetEstimate: a batch whose own minimum fee would cross the budget is not anchored, even
// when nothing was spent yet today; a zero budget means no cap.
func TestFeeBudgetEstimate(t *testing.T) {
	ctx := context.Background()
	clk := &clock{now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	tests := []struct {
		perDay  uint64
		ops     int
		anchors bool
	}{
		{perDay: 0, ops: 100, anchors: true},
		{perDay: 299, ops: 100, anchors: false}, // minimum 300
		{perDay: 300, ops: 100, anchors: true},
		{perDay: 30, ops: 10, anchors: true},
	}
	for _, tc := range tests {
		q, c := &memQueue{}, newChain()
		wal := &wallet{chain: c, clock: clk}
		w := newWriter(q, c)
		w.Anchorer = wal
		w.Budget = &FeeBudget{PerDay: tc.perDay, Log: wal, Now: clk.Now}
		q.add(tc.ops)
		n, err := w.WriteOnce(ctx)
		if got := n == tc.ops && err == nil; got != tc.anchors {
			t.Errorf("budget %d, %d operations: anchored %d, err %v; want anchored=%v", tc.perDay, tc.ops, n, err, tc.anchors)
		}
		if d, _ := q.QueueDepth(ctx); !tc.anchors && d != tc.ops {
			t.Errorf("budget %d: %d queued, want %d", tc.perDay, d, tc.ops)
		}
	}
}

// TestFeeBudgetApprove: the anchor writer's check of an actual fee (a batch's, or a fee bump's) against
// what is left of the day's budget.
func TestFeeBudgetApprove(t *testing.T) {
	ctx := context.Background()
	clk := &clock{now: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
	w := &wallet{clock: clk, spends: []Spend{{TxID: "a", At: clk.Now(), Fee: 6000}}}
	b := &FeeBudget{PerDay: 10_000, Log: w, Now: clk.Now}
	if err := b.Approve(ctx, 4000); err != nil {
		t.Fatalf("4000 of the 4000 left: %v", err)
	}
	var be *BudgetError
	if err := b.Approve(ctx, 4001); !errors.As(err, &be) || !errors.Is(err, ErrBudgetReached) || be.Spent != 6000 {
		t.Fatalf("4001 of the 4000 left: %v", err)
	}
	clk.set(clk.Now().Add(24 * time.Hour))
	if err := b.Approve(ctx, 9000); err != nil {
		t.Fatalf("the next day: %v", err)
	}
	if err := (*FeeBudget)(nil).Approve(ctx, 1<<60); err != nil {
		t.Fatalf("no budget: %v", err)
	}
}
