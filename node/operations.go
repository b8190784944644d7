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
	// Outcome says what happened to it, as a stable code (see Outcome*); Reason says it in words.
	Outcome Outcome `json:"outcome"`
	Reason  string  `json:"reason"`
}

// Outcome is what became of an anchored operation when the node resolved its DID.
type Outcome string

// The outcomes of GET /identifiers/{did}/operations.
const (
	OutcomeApplied Outcome = "applied" // part of the DID's state
	// OutcomeSupersededByDeactivation: valid when anchored, but the DID was deactivated, and ION applies
	// no update to a deactivated DID.
	OutcomeSupersededByDeactivation Outcome = "superseded_by_deactivation"
	// OutcomeSupersededByRecovery: valid when anchored, but a recovery replaced the update key it used.
	OutcomeSupersededByRecovery Outcome = "superseded_by_recovery"
	OutcomeDuplicateCreate      Outcome = "duplicate_create"   // only the first valid create counts
	OutcomeCommitmentUsed       Outcome = "commitment_used"    // another operation used its commitment first
	OutcomeCommitmentReused     Outcome = "commitment_reused"  // it would make the DID reuse a commitment
	OutcomeInvalid              Outcome = "invalid"            // signature, key or delta does not verify
	OutcomeUnknownCommitment    Outcome = "unknown_commitment" // it opens no commitment the DID has had
	OutcomeUnknown              Outcome = "unknown"            // the DID does not resolve
	// OutcomeKeyReplaced: anchored after the recovery that replaced the update key it uses.
	OutcomeKeyReplaced Outcome = "key_replaced"
)

// anchoredBefore reports whether a was anchored before b.
func anchoredBefore(a, b sidetree.AnchoredOperation) bool {
	return a.TransactionNumber < b.TransactionNumber || a.TransactionNumber == b.TransactionNumber && a.OperationIndex < b.OperationIndex
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
	tr, err := traceOperations(ops)
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
			a := tr.applied[opKey{op.TransactionNumber, op.OperationIndex}]
			h.Applied = &a
			h.Outcome, h.Reason = tr.outcome(op)
		} else {
			h.Outcome, h.Reason = OutcomeUnknown, "the DID does not resolve: "+err.Error()
		}
		rep.Operations = append(rep.Operations, h)
	}
	return rep
}

type opKey struct {
	txn   uint64
	index uint32
}

// trace is a replay of sidetree.Resolve that remembers what it met on the way, so that each operation's
// fate can be explained.
type trace struct {
	applied map[opKey]bool
	state   *sidetree.State // the resolved state; nil when no create applied
	// recovery and update: each commitment the walk reached, with the state then and what used it.
	recovery, update map[string]step
	// earlierUpdate: the update commitments the DID had before a later recovery replaced them (or the
	// DID was deactivated), with the state that had each.
	earlierUpdate map[string]*sidetree.State
	chainStates   []*sidetree.State // the recovery chain's states with an update commitment, in order
	// superseded: the updates that applied in order from the latest earlier state, before the recovery
	// or the deactivation (supersededBy) that ended that update chain; shadow: the commitments that walk
	// reached.
	superseded   map[opKey]bool
	shadow       map[string]step
	supersededBy *sidetree.AnchoredOperation
}

type step struct {
	state *sidetree.State
	used  *sidetree.AnchoredOperation // the operation applied at this commitment, if any
}

// traceOperations follows the same three steps as sidetree.Resolve (first create; the recovery chain;
// the update chain) with the same commitment rules; TestHistoryAgreesWithResolve checks that the state
// it reaches is Resolve's.
func traceOperations(ops []sidetree.AnchoredOperation) (*trace, error) {
	tr := &trace{applied: map[opKey]bool{}, recovery: map[string]step{}, update: map[string]step{}, earlierUpdate: map[string]*sidetree.State{},
		superseded: map[opKey]bool{}, shadow: map[string]step{}}
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
	for _, c := range creates {
		if tr.state = sidetree.Apply(c, nil); tr.state != nil {
			tr.applied[opKey{c.TransactionNumber, c.OperationIndex}] = true
			break
		}
	}
	if tr.state == nil {
		return tr, nil
	}
	chain, err := byCommitment(recovery)
	if err != nil {
		return nil, err
	}
	tr.state = tr.follow(tr.state, chain, true, tr.applied, tr.recovery)
	if chain, err = byCommitment(updates); err != nil {
		return nil, err
	}
	if !tr.state.Deactivated() {
		// The update chain starts at the resolved recovery state: its commitment is not an earlier one.
		delete(tr.earlierUpdate, tr.state.NextUpdateCommitment)
		if n := len(tr.chainStates); n > 0 && tr.chainStates[n-1] == tr.state {
			tr.chainStates = tr.chainStates[:n-1]
		}
		tr.state = tr.follow(tr.state, chain, false, tr.applied, tr.update)
	}
	if n := len(tr.chainStates); n > 0 {
		last := tr.chainStates[n-1]
		// Replaying the update chain the last recovery or the deactivation cut off costs at most another
		// resolution, which is what the history already pays for.
		tr.follow(last, chain, false, tr.superseded, tr.shadow)
		tr.supersededBy = tr.recovery[last.NextRecoveryCommitment].used
	}
	return tr, nil
}

// follow walks one commitment chain as sidetree.Resolve does, marking in applied the operations it
// applies and in reached each commitment it reaches.
func (tr *trace) follow(state *sidetree.State, chain map[string][]sidetree.AnchoredOperation, recovery bool, applied map[opKey]bool, reached map[string]step) *sidetree.State {
	used := map[string]bool{}
	current := func(s *sidetree.State) string { return s.NextUpdateCommitment }
	if recovery {
		current = func(s *sidetree.State) string { return s.NextRecoveryCommitment }
	}
	for {
		if recovery && state.NextUpdateCommitment != "" {
			tr.earlierUpdate[state.NextUpdateCommitment] = state
			tr.chainStates = append(tr.chainStates, state)
		}
		commitment := current(state)
		candidates, ok := chain[commitment]
		if !ok || commitment == "" {
			return state
		}
		reached[commitment] = step{state: state}
		slices.SortStableFunc(candidates, func(a, b sidetree.AnchoredOperation) int {
			return cmp.Compare(a.TransactionNumber, b.TransactionNumber)
		})
		var next *sidetree.State
		for i, op := range candidates {
			s := sidetree.Apply(op, state)
			if s == nil {
				continue
			}
			if nc := current(s); nc != "" && used[nc] || nc == commitment {
				continue
			}
			next = s
			applied[opKey{op.TransactionNumber, op.OperationIndex}] = true
			reached[commitment] = step{state: state, used: &candidates[i]}
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

// outcome explains what became of op (one of the operations traced).
func (tr *trace) outcome(op sidetree.AnchoredOperation) (Outcome, string) {
	if tr.applied[opKey{op.TransactionNumber, op.OperationIndex}] {
		return OutcomeApplied, "part of the DID's current state"
	}
	if op.Type == sidetree.OpCreate {
		if tr.state != nil {
			return OutcomeDuplicateCreate, "ignored: the DID was already created by an earlier operation (only the first valid create counts)"
		}
		return OutcomeInvalid, "ignored: the create's suffix data or delta does not verify"
	}
	if tr.state == nil {
		return OutcomeUnknownCommitment, "ignored: the DID has no valid create"
	}
	parsed, err := sidetree.ParseOperation(op.Raw)
	if err != nil {
		return OutcomeInvalid, "ignored: the operation does not parse"
	}
	c, err := sidetree.CommitmentFromRevealValue(parsed.RevealValue)
	if err != nil {
		return OutcomeInvalid, "ignored: its reveal value is not a valid multihash"
	}
	reached, key := tr.recovery, "recovery"
	if op.Type == sidetree.OpUpdate {
		reached, key = tr.update, "update"
		if by := tr.supersededBy; tr.superseded[opKey{op.TransactionNumber, op.OperationIndex}] && by != nil {
			switch {
			case !anchoredBefore(op, *by):
				return OutcomeKeyReplaced, "ignored: anchored after the " + string(by.Type) + " in transaction " + strconv.FormatUint(by.TransactionNumber, 10) + ", which replaced the update key it uses"
			case by.Type == sidetree.OpDeactivate:
				return OutcomeSupersededByDeactivation, "applied, then superseded by the deactivation in transaction " + strconv.FormatUint(by.TransactionNumber, 10) + ": ION applies no update to a deactivated DID"
			}
			return OutcomeSupersededByRecovery, "applied, then superseded by the recovery in transaction " + strconv.FormatUint(by.TransactionNumber, 10) + ", which replaced the update key it used"
		}
		if _, ok := tr.shadow[c]; ok {
			reached = tr.shadow
		} else if st, ok := tr.earlierUpdate[c]; ok {
			// A chain cut off by an earlier recovery than the last: how far it went is not replayed.
			if sidetree.Apply(op, st) == nil {
				return OutcomeInvalid, "ignored: its signature does not verify under the update key it reveals"
			}
			return OutcomeSupersededByRecovery, "valid under an update key that a recovery later replaced"
		}
	}
	st, ok := reached[c]
	switch {
	case !ok:
		return OutcomeUnknownCommitment, "ignored: it opens no " + key + " commitment the DID has had (a key already replaced, or a chain that never applied)"
	case st.used != nil:
		return OutcomeCommitmentUsed, "ignored: the " + string(st.used.Type) + " in transaction " + strconv.FormatUint(st.used.TransactionNumber, 10) + " used the same " + key + " commitment first"
	case sidetree.Apply(op, st.state) == nil:
		return OutcomeInvalid, "ignored: its signature, key or delta does not verify against the " + key + " commitment it opens"
	}
	return OutcomeCommitmentReused, "ignored: applying it would make the DID reuse an earlier " + key + " commitment"
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
