package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ionode/ionode/sidetree"
)

// Transaction is an ION anchor transaction as the chain watcher reports it.
type Transaction struct {
	Number        uint64 // block height × 1,000,000 + index in block
	Time          uint64 // block height
	TimeHash      string // block hash
	AnchorString  string // "<operation count>.<core index file URI>"
	FeePaid       uint64 // satoshis
	NormalizedFee uint64 // satoshis, the block's normalized fee
	Writer        string
}

// ErrFilesUnavailable marks a transaction whose batch files could not be fetched now (not found, timed
// out): it is retried later. Any other processing error means the transaction is invalid and is ignored
// for good, as ION does.
var ErrFilesUnavailable = errors.New("batch files unavailable")

// TransactionProcessor fetches a transaction's batch files and returns its anchored operations, as the
// reference's TransactionProcessor: the operations are always stored, and the error says whether the
// transaction is done. nil: done. An error wrapping ErrFilesUnavailable: a file could not be fetched now,
// retry later; the operations returned meanwhile (those of the core files when only the provisional or
// chunk file is missing) are stored already, and the retry replaces them with the complete ones. Any other
// error: part or all of the batch is invalid for good; what is valid is returned and stored.
type TransactionProcessor interface {
	Operations(ctx context.Context, tx Transaction) ([]sidetree.AnchoredOperation, error)
}

// Unresolvable is a transaction whose files could not be fetched yet.
type Unresolvable struct {
	Transaction Transaction
	Attempts    int
	FirstFetch  time.Time
	NextRetry   time.Time
}

// ObserverStore is what the observer needs of the store. Writes are idempotent: after a crash the
// observer re-processes from the last stored transaction and stores the same records again. PutOperations
// replaces an operation already stored at the same (DID suffix, transaction number, operation index): a
// retried transaction brings the complete operation where only its core part was stored before.
type ObserverStore interface {
	PutOperations(ctx context.Context, ops []sidetree.AnchoredOperation) error
	PutTransaction(ctx context.Context, tx Transaction) error
	GetUnresolvable(ctx context.Context, number uint64) (Unresolvable, bool, error)
	PutUnresolvable(ctx context.Context, u Unresolvable) error
	DueUnresolvable(ctx context.Context, now time.Time, limit int) ([]Unresolvable, error)
	RemoveUnresolvable(ctx context.Context, number uint64) error
	// RollbackAfter deletes operations, transactions and unresolvable records after a transaction number.
	RollbackAfter(ctx context.Context, number uint64) error
}

// Observer turns anchor transactions into stored operations.
type Observer struct {
	Store     ObserverStore
	Processor TransactionProcessor
	// MaxConcurrentDownloads bounds parallel file fetching (ION's default: 20).
	MaxConcurrentDownloads int
	// RetryBase is the unresolvable-transaction backoff unit: the n-th retry waits 2^n × RetryBase after
	// the first fetch (ION's default: one minute).
	RetryBase time.Duration
	Now       func() time.Time
	Logger    *slog.Logger
	Metrics   *Metrics
}

type processed struct {
	ops []sidetree.AnchoredOperation
	err error
}

// ProcessTransactions handles the ION transactions of newly confirmed blocks, in transaction-number order.
// Files are fetched concurrently; results are stored in order, and a transaction is recorded as processed
// only after its operations are stored, so a crash never skips one.
// It returns how many operations it stored.
func (o *Observer) ProcessTransactions(ctx context.Context, txs []Transaction) (int, error) {
	results := make([]processed, len(txs))
	limit := o.MaxConcurrentDownloads
	if limit <= 0 {
		limit = 20
	}
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range txs {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			ops, err := o.Processor.Operations(ctx, txs[i])
			results[i] = processed{ops, err}
		}(i)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	stored := 0
	for i, tx := range txs {
		if err := o.store(ctx, tx, results[i]); err != nil {
			return stored, err
		}
		stored += len(results[i].ops)
	}
	return stored, nil
}

func (o *Observer) store(ctx context.Context, tx Transaction, res processed) error {
	if len(res.ops) > 0 {
		if err := o.Store.PutOperations(ctx, res.ops); err != nil {
			return fmt.Errorf("store operations of transaction %d: %w", tx.Number, err)
		}
		o.Metrics.observeIngest(res.ops)
	}
	switch {
	case res.err == nil:
		o.logger().Debug("transaction processed", "number", tx.Number, "operations", len(res.ops))
	case errors.Is(res.err, ErrFilesUnavailable):
		if err := o.recordUnresolvable(ctx, tx); err != nil {
			return err
		}
		o.Metrics.observeUnresolvable()
		o.logger().Info("transaction files unavailable, will retry", "number", tx.Number, "anchor", tx.AnchorString, "stored", len(res.ops), "err", res.err)
	default:
		o.Metrics.observeInvalidTransaction()
		o.logger().Info("invalid batch files", "number", tx.Number, "anchor", tx.AnchorString, "stored", len(res.ops), "err", res.err)
	}
	if err := o.Store.PutTransaction(ctx, tx); err != nil {
		return fmt.Errorf("record transaction %d: %w", tx.Number, err)
	}
	return nil
}

func (o *Observer) recordUnresolvable(ctx context.Context, tx Transaction) error {
	now := o.now()
	u, found, err := o.Store.GetUnresolvable(ctx, tx.Number)
	if err != nil {
		return fmt.Errorf("read unresolvable transaction %d: %w", tx.Number, err)
	}
	if !found {
		u = Unresolvable{Transaction: tx, FirstFetch: now}
	}
	u.Attempts++
	u.NextRetry = u.FirstFetch.Add(o.retryBase() << min(u.Attempts-1, 20))
	if err := o.Store.PutUnresolvable(ctx, u); err != nil {
		return fmt.Errorf("record unresolvable transaction %d: %w", tx.Number, err)
	}
	return nil
}

// RetryUnresolvable retries transactions whose files were unavailable and are due. Operations that
// resolve now take their place in the log by transaction number; the store drops the affected DIDs'
// cached states, so resolution recomputes them in the right order.
func (o *Observer) RetryUnresolvable(ctx context.Context, limit int) (resolved int, err error) {
	due, err := o.Store.DueUnresolvable(ctx, o.now(), limit)
	if err != nil {
		return 0, fmt.Errorf("list unresolvable transactions: %w", err)
	}
	for _, u := range due {
		ops, err := o.Processor.Operations(ctx, u.Transaction)
		if len(ops) > 0 {
			if err := o.Store.PutOperations(ctx, ops); err != nil {
				return resolved, fmt.Errorf("store operations of transaction %d: %w", u.Transaction.Number, err)
			}
			o.Metrics.observeIngest(ops)
		}
		switch {
		case err == nil:
		case errors.Is(err, ErrFilesUnavailable):
			if err := o.recordUnresolvable(ctx, u.Transaction); err != nil {
				return resolved, err
			}
			continue
		default:
			o.logger().Info("ignoring invalid transaction", "number", u.Transaction.Number, "err", err)
		}
		if err := o.Store.RemoveUnresolvable(ctx, u.Transaction.Number); err != nil {
			return resolved, fmt.Errorf("remove unresolvable transaction %d: %w", u.Transaction.Number, err)
		}
		resolved++
		o.logger().Info("unresolvable transaction resolved", "number", u.Transaction.Number, "operations", len(ops))
	}
	return resolved, nil
}

// Rollback undoes everything after a transaction number (a reorganization of the chain).
func (o *Observer) Rollback(ctx context.Context, after uint64) error {
	if err := o.Store.RollbackAfter(ctx, after); err != nil {
		return fmt.Errorf("roll back after transaction %d: %w", after, err)
	}
	o.logger().Warn("rolled back transactions after a chain reorganization", "after", after)
	return nil
}

func (o *Observer) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Observer) retryBase() time.Duration {
	if o.RetryBase > 0 {
		return o.RetryBase
	}
	return time.Minute
}

func (o *Observer) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}
