package anchor

import (
	"context"
	"time"
)

// Outpoint names a transaction output.
type Outpoint struct {
	TxID string // transaction id, hex as Bitcoin displays it
	Vout uint32
}

// UTXO is an output of the writer's key.
type UTXO struct {
	Outpoint
	Value      int64 // satoshis
	PkScript   []byte
	Height     int64  // block height of the creating transaction; 0 while unconfirmed
	ReservedBy string // txid of the pending transaction that spends it, empty when free
	SpentBy    string // txid of the confirmed transaction that spent it, empty when unspent
}

// Pending transaction kinds.
const (
	KindAnchor  = "anchor"
	KindLock    = "lock"
	KindRelease = "release"
)

// Pending transaction statuses.
const (
	StatusBroadcast = "broadcast" // signed, recorded, sent (or to be resent)
	StatusConfirmed = "confirmed" // in a block at ConfirmedHeight
	StatusReplaced  = "replaced"  // superseded by ReplacedBy (a fee bump)
	StatusFailed    = "failed"    // can never confirm: an input was spent elsewhere
	// StatusUncounted: an anchor in a block at ConfirmedHeight after another anchor of the same key.
	// ION processes one transaction per writer and block, the first (TransactionSelector), so its
	// anchor string must be written again. It happens when a reorganization returns several of the
	// writer's chained transactions to the mempool and they are mined together.
	StatusUncounted = "uncounted"
)

// PendingTx is a transaction the writer made, from signing until it is deeply confirmed.
type PendingTx struct {
	TxID            string
	Raw             []byte // serialized signed transaction
	Kind            string // KindAnchor, KindLock, KindRelease
	Anchor          string // the anchor string it carries (KindAnchor)
	Created         time.Time
	Status          string
	Fee             int64  // satoshis
	BroadcastHeight int64  // chain height when (last) broadcast, to detect a stuck transaction
	ConfirmedHeight int64  // block height when StatusConfirmed
	ReplacedBy      string // txid of the replacement when StatusReplaced
}

// WalletStore keeps the writer's records across restarts. Records are written whole (upsert by key).
// PutPendingTx must store the transaction and the given UTXOs in one atomic write where the backend
// allows it (otherwise UTXOs first): a transaction is never broadcast before its inputs are recorded
// as reserved, so a restarted writer never spends an output twice.
type WalletStore interface {
	PutUTXOs(ctx context.Context, utxos ...UTXO) error
	GetUTXO(ctx context.Context, op Outpoint) (UTXO, bool, error)
	// UTXOs returns every stored output ordered by (TxID, Vout).
	UTXOs(ctx context.Context) ([]UTXO, error)
	DeleteUTXOs(ctx context.Context, ops ...Outpoint) error
	PutPendingTx(ctx context.Context, tx PendingTx, utxos ...UTXO) error
	GetPendingTx(ctx context.Context, txid string) (PendingTx, bool, error)
	// PendingTxs returns every stored pending transaction ordered by creation time, then txid.
	PendingTxs(ctx context.Context) ([]PendingTx, error)
	DeletePendingTx(ctx context.Context, txid string) error
}
