package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/sidetree"
)

// ErrReadOnly is returned by every write of a store opened read-only (a resolver replica).
var ErrReadOnly = errors.New("store is read-only")

// ErrBatchNotFound is returned by ReturnBatch and CompleteBatch for a batch id that has no in-flight
// operations (already completed or returned, or never taken).
var ErrBatchNotFound = errors.New("no in-flight batch with this id")

// Store is everything the node keeps. Both implementations pass storetest.Run.
type Store interface {
	node.ObserverStore
	TransactionLog
	OperationLog
	StateCache
	Queue
	Wallet
	Sessions
	VerdictBackfill

	// StateHash is a SHA-256 over every DID's operation log (see [StateHasher]): two stores with the same
	// operations have the same hash whatever order and however often the operations were written.
	StateHash(ctx context.Context) ([]byte, error)
	// Close releases the store; in-flight calls must have returned.
	Close(ctx context.Context) error
}

// TransactionLog records the processed transactions and the chain watcher's resume position.
type TransactionLog interface {
	// PutProcessed stores a transaction's operations, the transaction and the watcher's cursor after it,
	// as one atomic write where the backend allows it, otherwise in that order so a crash re-applies
	// idempotently. A nil cursor leaves the stored cursor unchanged.
	PutProcessed(ctx context.Context, tx node.Transaction, ops []sidetree.AnchoredOperation, cursor []byte) error
	// LastTransaction returns the processed transaction with the highest number.
	LastTransaction(ctx context.Context) (tx node.Transaction, ok bool, err error)
	// TransactionsAfter returns up to limit processed transactions numbered above number, in order.
	TransactionsAfter(ctx context.Context, number uint64, limit int) ([]node.Transaction, error)
	// TransactionsBefore returns up to limit processed transactions numbered below number, highest first
	// (the explorer's "recent transactions" page walks back with it).
	TransactionsBefore(ctx context.Context, number uint64, limit int) ([]node.Transaction, error)
	// PutCursor stores the watcher's opaque resume position.
	PutCursor(ctx context.Context, cursor []byte) error
	// Cursor returns the stored resume position, nil when there is none.
	Cursor(ctx context.Context) ([]byte, error)
}

// OperationLog is the resolver's view of the operations (resolver/ion.OperationLog).
type OperationLog interface {
	// Operations returns a DID's anchored operations in (transaction number, operation index) order and
	// the DID's generation: 0 for a DID never written, otherwise a number that changes with every write
	// or rollback touching the DID and never returns to an earlier value.
	Operations(ctx context.Context, didSuffix string) (ops []sidetree.AnchoredOperation, generation uint64, err error)
	// Generation returns the DID's generation as Operations would, without reading its operations: a
	// cache of resolutions checks with it that an answer is still current (resolver/ion.Generations).
	Generation(ctx context.Context, didSuffix string) (uint64, error)
	// OperationCounts counts the stored operations of one transaction by type (empty when it has none). It
	// reads no operation bodies, so a full batch of 10,000 costs little.
	OperationCounts(ctx context.Context, number uint64) (map[sidetree.OperationType]int, error)
}

// VerdictBackfill fills in the signature verdicts of operations stored without one (by a version that
// did not store verdicts); MigrateVerdicts drives it.
type VerdictBackfill interface {
	// BackfillVerdicts walks the stored operations whose verdict is unknown, in chunks of at most limit.
	// For each chunk it calls compute, which sets every operation's Verdict from its Raw, then stores each
	// verdict on the operation at the same position only where that operation still holds exactly the
	// same bytes without a verdict (a concurrent write wins). It changes no generation: a verdict never
	// changes a resolution. progress gets the running count of operations computed after each chunk; the total is returned.
	BackfillVerdicts(ctx context.Context, limit int, compute func(ctx context.Context, ops []sidetree.AnchoredOperation) error, progress func(done int)) (int, error)
}

// StateCache keeps materialized DID states (resolver/ion.StateCache).
type StateCache interface {
	// CachedState returns the cached state if it was cached at the DID's current generation.
	CachedState(ctx context.Context, didSuffix string) (data []byte, ok bool, err error)
	// CacheState caches data computed at generation; it is silently ignored when the DID's generation has
	// moved on.
	CacheState(ctx context.Context, didSuffix string, generation uint64, data []byte) error
}

// QueuedOperation is an accepted operation waiting for (or taken by) the batch writer.
type QueuedOperation struct {
	DIDSuffix string
	Type      sidetree.OperationType
	Request   []byte
	Seq       uint64    // FIFO position, assigned by Enqueue
	Enqueued  time.Time // when Enqueue accepted it
	BatchID   string    // the in-flight batch holding it; empty while queued
}

// Queue holds operations waiting to be batched: at most one per DID, first in first out.
type Queue interface {
	// Enqueue appends an operation. It fails with an error wrapping node.ErrAlreadyQueued when the DID
	// already has an operation queued or in flight.
	Enqueue(ctx context.Context, didSuffix string, t sidetree.OperationType, request []byte) error
	// TakeBatch atomically takes up to max queued operations from the front of the queue and marks them
	// in flight under one new batch id (in each returned operation). Concurrent takers never share an
	// operation. An empty queue yields an empty slice.
	TakeBatch(ctx context.Context, max int) ([]QueuedOperation, error)
	// InFlight returns the operations of every batch taken and neither returned nor completed (after a
	// crash: the batches the writer must check and then return or complete), in queue order.
	InFlight(ctx context.Context) ([]QueuedOperation, error)
	// ReturnBatch puts a batch's operations back at the front of the queue, in their original order
	// (their anchoring failed).
	ReturnBatch(ctx context.Context, batchID string) error
	// CompleteBatch deletes a batch's operations (their anchor transaction is confirmed).
	CompleteBatch(ctx context.Context, batchID string) error
	// QueueDepth counts the operations waiting to be taken (in-flight ones excluded).
	QueueDepth(ctx context.Context) (int, error)
}

// Outpoint names a transaction output.
type Outpoint struct {
	TxID string // transaction id, hex as Bitcoin displays it
	Vout uint32
}

// UTXO is a wallet output the writer may spend.
type UTXO struct {
	Outpoint
	Value      int64 // satoshis
	PkScript   []byte
	Height     int64  // block height of the creating transaction; 0 while unconfirmed
	ReservedBy string // txid of the pending transaction that spends it, empty when free
	SpentBy    string // txid of the confirmed transaction that spent it, empty when unspent
}

// PendingTx is an anchor transaction the writer broadcast and waits to see confirmed.
type PendingTx struct {
	TxID            string
	Raw             []byte // serialized transaction
	Kind            string // the writer's vocabulary: anchor, lock, release
	Anchor          string // the anchor string it carries
	Created         time.Time
	Status          string // the writer's own vocabulary ("broadcast", "confirmed", ...)
	Fee             int64  // satoshis
	BroadcastHeight int64  // chain height when (last) broadcast
	ConfirmedHeight int64  // block height once confirmed
	ReplacedBy      string // txid of a fee-bump replacement
}

// Wallet holds the batch writer's wallet records. Records are written whole (upsert by key).
type Wallet interface {
	PutUTXOs(ctx context.Context, utxos ...UTXO) error
	GetUTXO(ctx context.Context, op Outpoint) (UTXO, bool, error)
	// UTXOs returns every stored output ordered by (TxID, Vout).
	UTXOs(ctx context.Context) ([]UTXO, error)
	DeleteUTXOs(ctx context.Context, ops ...Outpoint) error
	// PutPendingTx stores a pending transaction together with UTXO records (typically its inputs, now
	// reserved by it) in one write where the backend allows it, otherwise UTXOs first.
	PutPendingTx(ctx context.Context, tx PendingTx, utxos ...UTXO) error
	GetPendingTx(ctx context.Context, txid string) (PendingTx, bool, error)
	// PendingTxs returns every stored pending transaction ordered by creation time, then txid.
	PendingTxs(ctx context.Context) ([]PendingTx, error)
	DeletePendingTx(ctx context.Context, txid string) error
}

// Sessions keeps short-lived request records (the wallet exchanges' presentation and issuance requests)
// so that every replica sharing the store sees the same state. exchange/doc.go describes the contract
// its consumers rely on; both implementations pass storetest.Run.
type Sessions interface {
	// PutSession stores a new record that stays visible until expires. created is false (and nothing is
	// written) when a live record already has this id; an expired one is replaced.
	PutSession(ctx context.Context, id string, data []byte, expires time.Time) (created bool, err error)
	// GetSession returns a live record and its version (1 after PutSession, +1 per swap); ok is false
	// when there is none or it has expired.
	GetSession(ctx context.Context, id string) (data []byte, version uint64, ok bool, err error)
	// SwapSession replaces a live record only while its version is still version (compare-and-swap).
	// swapped is false when another writer came first, or the record is gone or expired.
	SwapSession(ctx context.Context, id string, version uint64, data []byte, expires time.Time) (swapped bool, err error)
	// DeleteSession removes a record; deleting a missing one is not an error.
	DeleteSession(ctx context.Context, id string) error
}

// Session size limits: a request record is a few hundred bytes, so these only stop misuse.
const (
	MaxSessionID   = 200
	MaxSessionData = 64 << 10
)

// ErrInvalidSession is returned for a session id or record outside the limits.
var ErrInvalidSession = errors.New("invalid session record")

// CheckSession validates a session id and, when data is not nil, the record's size.
func CheckSession(id string, data []byte) error {
	if id == "" || len(id) > MaxSessionID || strings.IndexByte(id, 0) >= 0 {
		return fmt.Errorf("%w: id must be 1-%d bytes without NUL", ErrInvalidSession, MaxSessionID)
	}
	if len(data) > MaxSessionData {
		return fmt.Errorf("%w: %d bytes of data, limit %d", ErrInvalidSession, len(data), MaxSessionData)
	}
	return nil
}
