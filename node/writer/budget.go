package writer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrBudgetReached is wrapped by the error of [FeeBudget.Check] when the day's fees are spent.
var ErrBudgetReached = errors.New("fee budget reached")

// BudgetError says how much was spent of the day's budget and when anchoring may resume.
type BudgetError struct {
	Spent, Budget uint64    // satoshis
	Until         time.Time // the start of the next UTC day
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("fee budget reached until %s (%d of %d satoshis spent today, UTC)",
		e.Until.UTC().Format(time.RFC3339), e.Spent, e.Budget)
}

func (e *BudgetError) Unwrap() error { return ErrBudgetReached }

// Spend is one fee the writer's wallet paid.
type Spend struct {
	TxID string
	At   time.Time // when the transaction was made
	Fee  uint64    // satoshis
}

// SpendLog lists the fees the wallet paid since a time. It reads the durable wallet records (the store's
// pending transactions), so a restart does not reset the day's spending.
type SpendLog interface {
	Spends(ctx context.Context, since time.Time) ([]Spend, error)
}

// FeeBudget caps the fees the writer pays per calendar day in UTC: a fixed period every operator can
// read off a clock, and that resumes at a known time (00:00 UTC) rather than trickling back as a rolling
// window would. A batch is not anchored when the day's fees plus its estimated fee would exceed PerDay;
// its operations stay queued until the next day.
//
// The estimate is the larger of ION's minimum fee for the batch and the largest fee paid today, since a
// wallet fee rate seldom changes within a day. Fee bumps of transactions already broadcast are not held
// back (that would strand their batches) but count against the day they are made.
type FeeBudget struct {
	PerDay uint64 // satoshis; 0: no cap
	Log    SpendLog
	Now    func() time.Time // nil: time.Now

	mu sync.Mutex
	// seen are the spends this process made or read: a confirmed transaction's record is pruned from
	// the wallet after some blocks, possibly before its day ends.
	seen map[string]Spend
}

// Usage returns the fees paid today and the largest of them.
func (b *FeeBudget) Usage(ctx context.Context) (spent, largest uint64, err error) {
	start := dayStart(b.now())
	spends, err := b.Log.Spends(ctx, start)
	if err != nil {
		return 0, 0, fmt.Errorf("read the wallet's fees: %w", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.seen == nil {
		b.seen = map[string]Spend{}
	}
	for _, s := range spends {
		b.seen[s.TxID] = s
	}
	for id, s := range b.seen {
		if s.At.Before(start) {
			delete(b.seen, id)
			continue
		}
		spent += s.Fee
		largest = max(largest, s.Fee)
	}
	return spent, largest, nil
}

// Record adds a fee the writer just paid (the wallet has recorded it too; the transaction id keeps it
// from counting twice).
func (b *FeeBudget) Record(txid string, fee uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.seen == nil {
		b.seen = map[string]Spend{}
	}
	if _, ok := b.seen[txid]; !ok {
		b.seen[txid] = Spend{TxID: txid, At: b.now(), Fee: fee}
	}
}

// Check returns a *BudgetError when paying minFee (or the day's largest fee, if more) now would take
// the day's fees over the budget.
func (b *FeeBudget) Check(ctx context.Context, minFee uint64) error {
	return b.room(ctx, func(largest uint64) uint64 { return max(minFee, largest) })
}

// Approve refuses a transaction paying fee when the day's fees would pass the budget with it: the
// anchor writer asks it with each signed transaction's actual fee, fee bumps included (a replaced
// transaction's fee stays counted, as Usage counts it).
func (b *FeeBudget) Approve(ctx context.Context, fee uint64) error {
	return b.room(ctx, func(uint64) uint64 { return fee })
}

// room returns a *BudgetError unless the day's fees plus fee(the day's largest) fit the budget.
func (b *FeeBudget) room(ctx context.Context, fee func(largest uint64) uint64) error {
	if b == nil || b.PerDay == 0 {
		return nil
	}
	spent, largest, err := b.Usage(ctx)
	if err != nil {
		return err
	}
	if spent+fee(largest) > b.PerDay {
		return &BudgetError{Spent: spent, Budget: b.PerDay, Until: dayStart(b.now()).Add(24 * time.Hour)}
	}
	return nil
}

// Ready is the writer's readiness check: an error while today's budget has no room for another batch
// of the day's largest fee (or for any fee at all).
func (b *FeeBudget) Ready(ctx context.Context) error {
	return b.Check(ctx, 1)
}

func (b *FeeBudget) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

func dayStart(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
