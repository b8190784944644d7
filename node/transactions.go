package node

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/mux"
	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// Limits of GET /transactions.
const (
	DefaultTransactionsLimit = 20
	MaxTransactionsLimit     = 100
	// batchFilesBudget bounds the time one listing spends reading index files from the CAS; the rows it
	// did not reach are listed without their other files' CIDs.
	batchFilesBudget = 5 * time.Second
)

// TransactionLister is what GET /transactions needs of the store.
type TransactionLister interface {
	// TransactionsBefore returns up to limit processed transactions numbered below number, highest first.
	TransactionsBefore(ctx context.Context, number uint64, limit int) ([]Transaction, error)
	// OperationCounts counts a transaction's stored operations by type.
	OperationCounts(ctx context.Context, number uint64) (map[sidetree.OperationType]int, error)
}

// Transactions serves GET /transactions: the processed anchor transactions, newest first, with what
// their batches hold.
type Transactions struct {
	Network sidetree.Network
	Store   TransactionLister
	// CAS, when set, is read for each batch's index files to list the CIDs of the files below the core
	// index file. Files are read only from what the CAS answers within a short deadline.
	CAS ContentFetcher
	// TxIDs maps anchor strings to the Bitcoin transaction ids this node's writer used for them (only the
	// node's own recent anchors are known); nil: none known.
	TxIDs  func(ctx context.Context) (map[string]string, error)
	Logger *slog.Logger

	// Batch files never change once written (a CID names its content), so the names read from index
	// files are kept; the map is dropped whole when it reaches maxKnownBatches.
	mu    sync.Mutex
	known map[string]BatchFiles // by core index file CID, complete listings only
}

const maxKnownBatches = 4096

// TransactionsPage is the body of GET /transactions.
type TransactionsPage struct {
	Transactions []TransactionSummary `json:"transactions"`
	// Next is the "before" value of the following page; absent on the last page.
	Next *string `json:"next,omitempty"`
}

// TransactionSummary is one anchor transaction as the explorer lists it.
type TransactionSummary struct {
	Number        string `json:"transactionNumber"` // decimal string: numbers pass 2^53
	Height        uint64 `json:"blockHeight"`
	BlockHash     string `json:"blockHash"`
	TxID          string `json:"txid,omitempty"`
	AnchorString  string `json:"anchorString"`
	Writer        string `json:"writer,omitempty"`
	FeePaid       uint64 `json:"feePaid"`       // satoshis
	NormalizedFee uint64 `json:"normalizedFee"` // satoshis
	// DeclaredOperations is the count the anchor string declares; Operations counts what the node
	// stored by type (fewer when part of the batch was invalid or is still being fetched).
	DeclaredOperations int            `json:"declaredOperations"`
	Operations         map[string]int `json:"operations"`
	StoredOperations   int            `json:"storedOperations"`
	Files              BatchFiles     `json:"files"`
}

// BatchFiles are the CIDs of a batch's files; only the core index file is always known.
type BatchFiles struct {
	CoreIndex        string `json:"coreIndexFile"`
	CoreProof        string `json:"coreProofFile,omitempty"`
	ProvisionalIndex string `json:"provisionalIndexFile,omitempty"`
	ProvisionalProof string `json:"provisionalProofFile,omitempty"`
	Chunk            string `json:"chunkFile,omitempty"`
	// Complete: the index files were read, so every file of the batch is listed.
	Complete bool `json:"complete"`
}

// Register adds GET /transactions to r.
func (t *Transactions) Register(r *mux.Router) {
	r.HandleFunc("/transactions", t.handle).Methods(http.MethodGet)
}

// pageQuery parses limit and before; the error is the sentence for a 400.
func pageQuery(q url.Values) (limit int, before uint64, err error) {
	limit, before = DefaultTransactionsLimit, math.MaxUint64
	if s, ok := q["limit"]; ok {
		n, perr := strconv.Atoi(s[0])
		if perr != nil || n < 1 || n > MaxTransactionsLimit {
			return 0, 0, fmt.Errorf("limit must be a whole number from 1 to %d", MaxTransactionsLimit)
		}
		limit = n
	}
	if s, ok := q["before"]; ok {
		n, perr := strconv.ParseUint(s[0], 10, 64)
		if perr != nil {
			return 0, 0, fmt.Errorf("before must be a transaction number (a whole number)")
		}
		before = n
	}
	return limit, before, nil
}

func (t *Transactions) handle(w http.ResponseWriter, r *http.Request) {
	limit, before, err := pageQuery(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_parameter", err.Error())
		return
	}
	page, err := t.Page(r.Context(), before, limit)
	if err != nil {
		t.logger().Error("listing transactions failed", "err", err)
		writeError(w, http.StatusInternalServerError, "internal_error", "the node could not read its store")
		return
	}
	body, err := json.Marshal(page)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal_error", "the transactions could not be encoded")
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// Page lists up to limit transactions numbered below before, newest first.
func (t *Transactions) Page(ctx context.Context, before uint64, limit int) (TransactionsPage, error) {
	txs, err := t.Store.TransactionsBefore(ctx, before, limit)
	if err != nil {
		return TransactionsPage{}, err
	}
	var txids map[string]string
	if t.TxIDs != nil {
		if txids, err = t.TxIDs(ctx); err != nil {
			t.logger().Warn("reading the writer's transaction ids failed", "err", err)
		}
	}
	filesCtx, cancel := context.WithTimeout(ctx, batchFilesBudget)
	defer cancel()
	page := TransactionsPage{Transactions: make([]TransactionSummary, 0, len(txs))}
	for _, tx := range txs {
		counts, err := t.Store.OperationCounts(ctx, tx.Number)
		if err != nil {
			return TransactionsPage{}, err
		}
		s := TransactionSummary{
			Number: strconv.FormatUint(tx.Number, 10), Height: tx.Time, BlockHash: tx.TimeHash, TxID: txids[tx.AnchorString],
			AnchorString: tx.AnchorString, Writer: tx.Writer, FeePaid: tx.FeePaid, NormalizedFee: tx.NormalizedFee,
			Operations: map[string]int{},
		}
		for typ, n := range counts {
			s.Operations[string(typ)] = n
			s.StoredOperations += n
		}
		if a, err := anchor.ParseAnchorString(tx.AnchorString); err == nil {
			s.DeclaredOperations = a.Operations
			s.Files = t.files(filesCtx, a.CoreIndexURI, t.Network.ParametersAt(tx.Time))
		}
		page.Transactions = append(page.Transactions, s)
	}
	if len(txs) == limit && len(txs) > 0 {
		next := strconv.FormatUint(txs[len(txs)-1].Number, 10)
		page.Next = &next
	}
	return page, nil
}

// files reads the batch's index files to name the files below them. A file that cannot be read now
// leaves the listing incomplete, never failed: the explorer shows what is known.
func (t *Transactions) files(ctx context.Context, coreIndex string, p sidetree.Parameters) BatchFiles {
	t.mu.Lock()
	f, ok := t.known[coreIndex]
	t.mu.Unlock()
	if ok {
		return f
	}
	f = t.readFiles(ctx, coreIndex, p)
	if f.Complete {
		t.mu.Lock()
		if t.known == nil || len(t.known) >= maxKnownBatches {
			t.known = map[string]BatchFiles{}
		}
		t.known[coreIndex] = f
		t.mu.Unlock()
	}
	return f
}

func (t *Transactions) readFiles(ctx context.Context, coreIndex string, p sidetree.Parameters) BatchFiles {
	f := BatchFiles{CoreIndex: coreIndex}
	if t.CAS == nil || ctx.Err() != nil {
		return f
	}
	data, err := t.CAS.Get(ctx, coreIndex, int64(p.MaxCoreIndexFileSizeInBytes))
	if err != nil {
		return f
	}
	core, err := batch.ParseCoreIndexFile(data, p)
	if err != nil {
		return f
	}
	f.CoreProof, f.ProvisionalIndex = core.CoreProofFileURI, core.ProvisionalIndexFileURI
	if f.ProvisionalIndex == "" {
		f.Complete = true
		return f
	}
	data, err = t.CAS.Get(ctx, f.ProvisionalIndex, int64(p.MaxProvisionalIndexFileSizeInBytes))
	if err != nil {
		return f
	}
	prov, err := batch.ParseProvisionalIndexFile(data, p)
	if err != nil {
		return f
	}
	f.Chunk, f.ProvisionalProof, f.Complete = prov.ChunkFileURI, prov.ProvisionalProofFileURI, true
	return f
}

func (t *Transactions) logger() *slog.Logger {
	if t.Logger != nil {
		return t.Logger
	}
	return slog.Default()
}
