package writer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/ionode/ionode/sidetree"
)

// Operation is a queued operation request as the writer takes it.
type Operation struct {
	BatchID   string // the in-flight batch holding it; empty while queued
	DIDSuffix string
	Type      sidetree.OperationType
	Request   []byte // the POST /operations body
}

// Queue is the durable queue of accepted operations (the node's store).
type Queue interface {
	// TakeBatch atomically marks up to max queued operations as one in-flight batch.
	TakeBatch(ctx context.Context, max int) ([]Operation, error)
	// InFlight returns the operations of batches taken and neither returned nor completed.
	InFlight(ctx context.Context) ([]Operation, error)
	// ReturnBatch puts a batch back at the front of the queue (its anchoring failed).
	ReturnBatch(ctx context.Context, batchID string) error
	// CompleteBatch deletes a batch (its anchor transaction is confirmed).
	CompleteBatch(ctx context.Context, batchID string) error
	// Requeue appends an operation of a completed batch whose transaction was reorganized away; it fails
	// with an error wrapping ErrDIDBusy when the DID has an operation queued or in flight.
	Requeue(ctx context.Context, op Operation) error
	QueueDepth(ctx context.Context) (int, error)
}

// ContentStore stores batch files (the CAS). Put returns once the file is durable: its CID is anchored
// next, and a batch confirmed before a crash is not written again.
type ContentStore interface {
	Put(ctx context.Context, data []byte) (string, error)
}

// BuildFunc builds a batch's files from operation requests, storing each file with put in the order
// ION writes them, and returns the anchor string. It must be deterministic: after a crash the writer
// rebuilds an in-flight batch to find the transaction that already anchors it.
type BuildFunc func(requests [][]byte, put func([]byte) (string, error)) (anchorString string, err error)

// Anchorer writes anchor strings to Bitcoin (the node's own wallet).
type Anchorer interface {
	// Anchor signs, records and broadcasts a transaction carrying anchorString, paying at least minFee
	// satoshis, and returns its id and the fee it pays.
	Anchor(ctx context.Context, anchorString string, minFee uint64) (txid string, fee uint64, err error)
	// Lookup finds a transaction this wallet already made for anchorString (pending or confirmed).
	Lookup(ctx context.Context, anchorString string) (txid string, ok bool, err error)
	// Confirmations returns a transaction's confirmations: 0 while in the mempool, ErrAnchorFailed when
	// it can no longer confirm (conflicted or dropped for good) or ION ignores it, ErrAnchorUnknown when
	// the wallet does not know it.
	Confirmations(ctx context.Context, txid string) (int, error)
	// MaxOperations is how many operations one batch may carry: 100 without a value time lock, more with
	// one (ION's ValueTimeLockVerifier.calculateMaxNumberOfOperationsAllowed), at most the protocol's
	// maximum per batch.
	MaxOperations(ctx context.Context) (int, error)
}

// ErrAnchorFailed means an anchor transaction will never confirm; its batch goes back to the queue.
var ErrAnchorFailed = errors.New("anchor transaction failed")

// FeePolicy gives the minimum fee ION requires of a transaction anchoring a number of operations
// (FeeManager.computeMinimumTransactionFee over the current normalized fee).
type FeePolicy interface {
	MinimumFee(ctx context.Context, operations int) (uint64, error)
}

// Metrics receives the writer's outcomes (node.Metrics implements it).
type Metrics interface {
	BatchAnchored(outcome string, feeSatoshis uint64)
	SetQueueDepth(n int)
}

// Writer batches queued operations, writes their files to the CAS and anchors them, one batch at a
// time as ION's BatchWriter: a new batch is written only after the previous one has
// ConfirmationsBetweenBatches confirmations (ION: 6), so a writer never builds on an unconfirmed or
// easily reorganized anchor. A batch leaves the queue only once its transaction is confirmed; a failed
// anchor returns it to the front of the queue.
type Writer struct {
	Queue    Queue
	CAS      ContentStore
	Build    BuildFunc
	Anchorer Anchorer
	Fees     FeePolicy // nil: no minimum beyond the wallet's own fee rate
	// Interval between batches (ION's default: 600 s).
	Interval time.Duration
	// ConfirmationsBetweenBatches: confirmations of the last batch before the next is written (default 6).
	ConfirmationsBetweenBatches int
	// SettleInterval is how often an anchored batch is checked for confirmation (default 2 s): a batch's
	// DIDs accept their next operation once it is settled, so this is kept short whatever Interval is.
	SettleInterval time.Duration
	Metrics        Metrics // optional
	Logger         *slog.Logger
	// Budget caps the fees paid per day (optional): while it is reached, operations stay queued.
	Budget *FeeBudget
	// Kept persists completed batches until their transaction is KeepDepth deep (nil: in memory only).
	Kept KeptStore
	// KeepDepth: confirmations after which a completed batch is forgotten (default DefaultKeepDepth).
	KeepDepth int

	kept       []KeptBatch // the kept batches, read from Kept once
	keptLoaded bool
	// keptRestored: the kept batches' files were put again since the process started.
	keptRestored bool
	// built holds the in-flight batches' anchor strings, by batch ID (see anchorOf).
	built map[string]builtBatch
	// lastTxID is the last anchored batch's transaction, waited on before the next batch; in memory only,
	// so a restart does not wait (the in-flight batch, if any, is still settled from the store).
	lastTxID string
}

// Run writes a batch every Interval until ctx ends.
func (w *Writer) Run(ctx context.Context) error {
	interval := w.Interval
	if interval <= 0 {
		interval = 600 * time.Second
	}
	settleEvery := w.SettleInterval
	if settleEvery <= 0 {
		settleEvery = 2 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	settle := time.NewTicker(min(settleEvery, interval))
	defer settle.Stop()
	for {
		if _, err := w.WriteOnce(ctx); errors.Is(err, ErrBudgetReached) {
			w.logger().Warn("operations stay queued", "reason", err.Error())
		} else if err != nil && ctx.Err() == nil {
			w.logger().Error("batch writing failed", "err", err)
		}
	wait:
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
				break wait
			case <-settle.C:
				if _, err := w.settle(ctx); err != nil && ctx.Err() == nil {
					w.logger().Warn("settling the anchored batch failed", "err", err)
				}
			}
		}
	}
}

// WriteOnce settles the in-flight batch, then, if the writer may, takes and anchors a new one. It
// returns how many operations it anchored.
func (w *Writer) WriteOnce(ctx context.Context) (int, error) {
	if depth, err := w.Queue.QueueDepth(ctx); err == nil && w.Metrics != nil {
		w.Metrics.SetQueueDepth(depth)
	}
	busy, err := w.settle(ctx)
	if err != nil || busy {
		return 0, err
	}
	if w.lastTxID != "" {
		conf, err := w.Anchorer.Confirmations(ctx, w.lastTxID)
		if err == nil && conf < w.confirmationsBetween() {
			return 0, nil
		}
		w.lastTxID = ""
	}
	// A spent budget leaves the queue untouched (the check after taking a batch covers its own fee).
	if err := w.budgetCheck(ctx, 1); err != nil {
		return 0, err
	}
	max, err := w.Anchorer.MaxOperations(ctx)
	if err != nil {
		return 0, fmt.Errorf("operations allowed per batch: %w", err)
	}
	ops, err := w.Queue.TakeBatch(ctx, max)
	if err != nil || len(ops) == 0 {
		return 0, err
	}
	batch := ops[0].BatchID
	txid, err := w.anchor(ctx, ops)
	if err != nil {
		if rerr := w.Queue.ReturnBatch(ctx, batch); rerr != nil {
			return 0, errors.Join(err, fmt.Errorf("return batch %s: %w", batch, rerr))
		}
		if !errors.Is(err, ErrBudgetReached) {
			w.metric("failed", 0)
		}
		return 0, err
	}
	w.lastTxID = txid
	w.logger().Info("batch anchored", "batch", batch, "operations", len(ops), "txid", txid)
	return len(ops), nil
}

// settle looks at the in-flight batch: anchored and confirmed → completed; failed → returned; never
// anchored (a crash between taking and anchoring) → anchored now. busy means it still waits.
func (w *Writer) settle(ctx context.Context) (busy bool, err error) {
	// A failure here must not stop the writer: the kept batches are checked again next time.
	if err := w.checkKept(ctx); err != nil && ctx.Err() == nil {
		w.logger().Warn("checking completed batches failed", "err", err)
	}
	inflight, err := w.Queue.InFlight(ctx)
	if err != nil {
		return false, fmt.Errorf("read in-flight batches: %w", err)
	}
	batches := byBatch(inflight)
	w.forgetBuilt(batches)
	for _, ops := range batches {
		batch := ops[0].BatchID
		anchor, err := w.anchorOf(ctx, ops)
		if err != nil {
			return true, fmt.Errorf("rebuild batch %s: %w", batch, err)
		}
		txid, ok, err := w.Anchorer.Lookup(ctx, anchor)
		if err != nil {
			return true, fmt.Errorf("look up anchor of batch %s: %w", batch, err)
		}
		if !ok {
			w.logger().Warn("in-flight batch was never anchored; anchoring it now", "batch", batch)
			if txid, err = w.anchor(ctx, ops); err != nil {
				if rerr := w.Queue.ReturnBatch(ctx, batch); rerr != nil {
					return true, errors.Join(err, rerr)
				}
				return false, err
			}
		}
		conf, err := w.Anchorer.Confirmations(ctx, txid)
		switch {
		case errors.Is(err, ErrAnchorFailed):
			w.logger().Warn("anchor transaction failed; operations return to the queue", "batch", batch, "txid", txid)
			w.metric("failed", 0)
			if err := w.Queue.ReturnBatch(ctx, batch); err != nil {
				return true, fmt.Errorf("return batch %s: %w", batch, err)
			}
		case err != nil:
			return true, fmt.Errorf("confirmations of %s: %w", txid, err)
		case conf == 0:
			w.lastTxID = txid
			busy = true
		default:
			if err := w.keep(ctx, KeptBatch{ID: batch, TxID: txid, Ops: ops}); err != nil {
				return true, fmt.Errorf("keep batch %s: %w", batch, err)
			}
			if err := w.Queue.CompleteBatch(ctx, batch); err != nil {
				return true, fmt.Errorf("complete batch %s: %w", batch, err)
			}
			w.lastTxID = txid
			w.logger().Info("batch confirmed", "batch", batch, "operations", len(ops), "txid", txid, "confirmations", conf)
		}
	}
	return busy, nil
}

func (w *Writer) anchor(ctx context.Context, ops []Operation) (string, error) {
	anchor, err := w.anchorOf(ctx, ops)
	if err != nil {
		return "", fmt.Errorf("build batch files: %w", err)
	}
	var minFee uint64
	if w.Fees != nil {
		if minFee, err = w.Fees.MinimumFee(ctx, len(ops)); err != nil {
			return "", fmt.Errorf("minimum fee: %w", err)
		}
	}
	if err := w.budgetCheck(ctx, minFee); err != nil {
		return "", err
	}
	txid, fee, err := w.Anchorer.Anchor(ctx, anchor, minFee)
	if err != nil {
		return "", fmt.Errorf("anchor %s: %w", anchor, err)
	}
	w.metric("anchored", fee)
	if w.Budget != nil {
		w.Budget.Record(txid, fee)
		w.budgetCheck(ctx, 0) // refreshes the budget metrics
	}
	return txid, nil
}

// BudgetMetrics is implemented by writer metrics that show the fee budget (node.Metrics does).
type BudgetMetrics interface {
	SetFeeBudget(spentToday, perDay uint64)
}

// budgetCheck checks the fee budget for a batch paying at least minFee and updates the metrics.
func (w *Writer) budgetCheck(ctx context.Context, minFee uint64) error {
	if w.Budget == nil || w.Budget.PerDay == 0 {
		return nil
	}
	err := w.Budget.Check(ctx, minFee)
	if m, ok := w.Metrics.(BudgetMetrics); ok {
		if spent, _, uerr := w.Budget.Usage(ctx); uerr == nil {
			m.SetFeeBudget(spent, w.Budget.PerDay)
		}
	}
	return err
}

func (w *Writer) confirmationsBetween() int {
	if w.ConfirmationsBetweenBatches > 0 {
		return w.ConfirmationsBetweenBatches
	}
	return 6
}

func (w *Writer) metric(outcome string, fee uint64) {
	if w.Metrics != nil {
		w.Metrics.BatchAnchored(outcome, fee)
	}
}

func (w *Writer) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.Default()
}

// byBatch groups in-flight operations by batch, keeping queue order.
func byBatch(ops []Operation) [][]Operation {
	var out [][]Operation
	index := map[string]int{}
	for _, op := range ops {
		i, ok := index[op.BatchID]
		if !ok {
			i = len(out)
			index[op.BatchID] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], op)
	}
	return out
}

// builtBatch is an in-flight batch's anchor string, built in this process.
type builtBatch struct {
	anchor     string
	operations int
}

// anchorOf returns the anchor string of the in-flight batch ops, building the batch (and putting its
// files) only the first time this process meets it: the files are durable once put, and building a
// batch of 10,000 operations takes some 200 ms and 70 MB (BenchmarkBuild10k), which settling the batch
// every SettleInterval while it waits for its confirmation paid each time.
func (w *Writer) anchorOf(ctx context.Context, ops []Operation) (string, error) {
	id := ops[0].BatchID
	if b, ok := w.built[id]; ok && b.operations == len(ops) {
		return b.anchor, nil
	}
	anchor, err := w.buildBatch(ctx, ops)
	if err != nil {
		return "", err
	}
	if w.built == nil {
		w.built = map[string]builtBatch{}
	}
	w.built[id] = builtBatch{anchor: anchor, operations: len(ops)}
	return anchor, nil
}

// forgetBuilt drops the anchor strings of batches no longer in flight (completed or returned).
func (w *Writer) forgetBuilt(inflight [][]Operation) {
	if len(w.built) == 0 {
		return
	}
	live := make(map[string]bool, len(inflight))
	for _, ops := range inflight {
		live[ops[0].BatchID] = true
	}
	maps.DeleteFunc(w.built, func(id string, _ builtBatch) bool { return !live[id] })
}

// buildBatch builds the batch of ops, putting its files in the CAS, and returns its anchor string.
func (w *Writer) buildBatch(ctx context.Context, ops []Operation) (string, error) {
	return w.Build(requestsOf(ops), func(data []byte) (string, error) { return w.CAS.Put(ctx, data) })
}

func requestsOf(ops []Operation) [][]byte {
	out := make([][]byte, len(ops))
	for i, op := range ops {
		out[i] = op.Request
	}
	return out
}
