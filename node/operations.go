package node

import (
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/ionode/ionode/sidetree"
)

// MaxHistoryOperations caps the operations GET /identifiers/{did}/operations lists (the newest are
// dropped past it). A DID anyone can spam with unsigned-looking updates must not make the page unbounded.
const MaxHistoryOperations = 1000

// OperationReader is a DID's operation log (the store's OperationLog).
type OperationReader interface {
	Operations(ctx context.Context, didSuffix string) ([]sidetree.AnchoredOperation, uint64, error)
}

// History serves GET /identifiers/{did}/operations: a DID's anchored operations in order, with whether
// each one applied when the node resolved the DID.
type History struct {
	Network sidetree.Network
	Log     OperationReader
	Logger  *slog.Logger
}

// HistoryReport is the body of GET /identifiers/{did}/operations.
type HistoryReport struct {
	DID        string             `json:"did"`
	DIDSuffix  string             `json:"didSuffix"`
	Operations []HistoryOperation `json:"operations"`
	Total      int                `json:"total"`     // operations stored
	Truncated  bool               `json:"truncated"` // more than MaxHistoryOperations: the first ones are listed
	// ResolutionError is set when the DID does not resolve (an operation that does not parse fails the
	// whole resolution, as in ION); "applied" is then unknown.
	ResolutionError string `json:"resolutionError,omitempty"`
}

// HistoryOperation is one anchored operation.
type HistoryOperation struct {
	Type              string `json:"type"`
	TransactionNumber string `json:"transactionNumber"` // decimal string: numbers pass 2^53
	BlockHeight       uint64 `json:"blockHeight"`
	OperationIndex    uint32 `json:"operationIndex"`
	// Applied: the operation is part of the DID's state as the node resolves it now. False: it was
	// anchored but does not count: invalid (bad signature, spent or unknown commitment, a create after the
	// first), or an update anchored before a recovery (ION follows the recovery chain first, and a recovery
	// resets the update commitment). Null: unknown (the DID does not resolve).
	Applied *bool `json:"applied"`
}

// Register adds GET /identifiers/{did}/operations to r.
func (h *History) Register(r *mux.Router) {
	r.HandleFunc("/identifiers/{did}/operations", h.handle).Methods(http.MethodGet)
}

func (h *History) handle(w http.ResponseWriter, r *http.Request) {
	raw := mux.Vars(r)["did"]
	did, err := sidetree.ParseDID(raw, h.Network.Method, h.Network.Latest())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, sidetree.ErrorBody(err).Stringify())
		return
	}
	ops, _, err := h.Log.Operations(r.Context(), did.Suffix)
	if err != nil {
		h.logger().Error("reading a DID's operations failed", "suffix", did.Suffix, "err", err)
		writeError(w, http.StatusInternalServerError, "internal_error", "the node could not read its store")
		return
	}
	body, err := json.Marshal(BuildHistory(did.ShortForm, did.Suffix, ops))
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal_error", "the history could not be encoded")
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// BuildHistory lists ops (in store order) with whether each applied.
func BuildHistory(did, suffix string, ops []sidetree.AnchoredOperation) HistoryReport {
	rep := HistoryReport{DID: did, DIDSuffix: suffix, Total: len(ops), Operations: []HistoryOperation{}}
	applied, _, err := appliedOperations(ops)
	if err != nil {
		rep.ResolutionError = err.Error()
	}
	if len(ops) > MaxHistoryOperations {
		ops, rep.Truncated = ops[:MaxHistoryOperations], true
	}
	for _, op := range ops {
		h := HistoryOperation{Type: string(op.Type), TransactionNumber: strconv.FormatUint(op.TransactionNumber, 10),
			BlockHeight: op.TransactionTime, OperationIndex: op.OperationIndex}
		if err == nil {
			a := applied[opKey{op.TransactionNumber, op.OperationIndex}]
			h.Applied = &a
		}
		rep.Operations = append(rep.Operations, h)
	}
	return rep
}

type opKey struct {
	txn   uint64
	index uint32
}

// appliedOperations replays sidetree.Resolve and records which operations it applied. It follows the
// same three steps (first create; the recovery chain; the update chain) with the same commitment rules;
// TestHistoryAgreesWithResolve checks that the state it reaches is Resolve's.
func appliedOperations(ops []sidetree.AnchoredOperation) (map[opKey]bool, *sidetree.State, error) {
	applied := map[opKey]bool{}
	var creates, recovery, updates []sidetree.AnchoredOperation
	for _, op := range ops {
		switch op.Type {
		case sidetree.OpCreate:
			creates = append(creates, op)
		case sidetree.OpUpdate:
			updates = append(updates, op)
		default:
			recovery = append(recovery, op)
		}
	}
	var state *sidetree.State
	for _, c := range creates {
		if state = sidetree.Apply(c, nil); state != nil {
			applied[opKey{c.TransactionNumber, c.OperationIndex}] = true
			break
		}
	}
	if state == nil {
		return applied, nil, nil
	}
	chain, err := byCommitment(recovery)
	if err != nil {
		return nil, nil, err
	}
	state = follow(state, chain, true, applied)
	if state.Deactivated() {
		return applied, state, nil
	}
	if chain, err = byCommitment(updates); err != nil {
		return nil, nil, err
	}
	return applied, follow(state, chain, false, applied), nil
}

func follow(state *sidetree.State, chain map[string][]sidetree.AnchoredOperation, recovery bool, applied map[opKey]bool) *sidetree.State {
	used := map[string]bool{}
	current := func(s *sidetree.State) string {
		if recovery {
			return s.NextRecoveryCommitment
		}
		return s.NextUpdateCommitment
	}
	for {
		commitment := current(state)
		candidates, ok := chain[commitment]
		if !ok || commitment == "" {
			return state
		}
		slices.SortStableFunc(candidates, func(a, b sidetree.AnchoredOperation) int {
			return cmp.Compare(a.TransactionNumber, b.TransactionNumber)
		})
		var next *sidetree.State
		for _, op := range candidates {
			s := sidetree.Apply(op, state)
			if s == nil {
				continue
			}
			if nc := current(s); nc != "" && used[nc] || nc == commitment {
				continue
			}
			next = s
			applied[opKey{op.TransactionNumber, op.OperationIndex}] = true
			break
		}
		if next == nil {
			return state
		}
		if recovery && next.Deactivated() {
			return next
		}
		used[commitment] = true
		state = next
	}
}

func byCommitment(ops []sidetree.AnchoredOperation) (map[string][]sidetree.AnchoredOperation, error) {
	m := map[string][]sidetree.AnchoredOperation{}
	for _, op := range ops {
		parsed, err := sidetree.ParseOperation(op.Raw)
		if err != nil {
			return nil, err
		}
		c, err := sidetree.CommitmentFromRevealValue(parsed.RevealValue)
		if err != nil {
			return nil, err
		}
		m[c] = append(m[c], op)
	}
	return m, nil
}

func (h *History) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}
