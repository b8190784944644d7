package sidetree

import (
	"cmp"
	"slices"
)

// Resolve computes a DID's state from all its anchored operations, exactly as the reference resolver:
//  1. the first create, in the given order, that yields a state;
//  2. recover and deactivate operations, grouped by the commitment their reveal value opens, followed
//     from the current recovery commitment; at each step the earliest valid one applies; a deactivate ends;
//  3. update operations the same way along the update commitments.
//
// It is not a replay in time order: an update anchored before a recovery applies after it if it opens the
// recovered state's update commitment. A commitment used once is never accepted again. ops must be in
// (transaction number, operation index) order, as the store returns them. It returns nil when no create
// applies.
//
// The error mirrors a reference quirk that mainnet nodes share: once a create applies, every recover and
// deactivate operation (and, unless deactivated, every update) is fully parsed to read its reveal value,
// and the first one that does not parse fails the whole resolution with that parse error (an HTTP 400),
// even though it opens no commitment. The observer stores the operations it composes from batch files
// without parsing each one, so such an operation can reach here (a recover composed without the proof a
// hostile core proof file left out, for instance).
func Resolve(ops []AnchoredOperation) (*State, error) {
	var creates, recovers, updates, deactivates []AnchoredOperation
	for _, op := range ops {
		switch op.Type {
		case OpCreate:
			creates = append(creates, op)
		case OpRecover:
			recovers = append(recovers, op)
		case OpUpdate:
			updates = append(updates, op)
		default:
			deactivates = append(deactivates, op)
		}
	}
	var state *State
	for _, c := range creates {
		if state = Apply(c, nil); state != nil {
			break
		}
	}
	if state == nil {
		return nil, nil
	}
	recoveryChain, err := groupByCommitment(append(recovers, deactivates...))
	if err != nil {
		return nil, err
	}
	state = followChain(state, recoveryChain, true)
	if state.Deactivated() {
		return state, nil
	}
	updateChain, err := groupByCommitment(updates)
	if err != nil {
		return nil, err
	}
	return followChain(state, updateChain, false), nil
}

// followChain walks one commitment chain. recovery selects the recovery chain (recover, deactivate) or
// the update chain.
func followChain(state *State, byCommitment map[string][]parsedOperation, recovery bool) *State {
	used := make(map[string]bool)
	current := func(s *State) string {
		if recovery {
			return s.NextRecoveryCommitment
		}
		return s.NextUpdateCommitment
	}
	for {
		commitment := current(state)
		candidates, ok := byCommitment[commitment]
		if !ok || commitment == "" {
			return state
		}
		// A stable sort by transaction number keeps the store's operation-index order within one.
		slices.SortStableFunc(candidates, func(a, b parsedOperation) int {
			return cmp.Compare(a.TransactionNumber, b.TransactionNumber)
		})
		var next *State
		for _, op := range candidates {
			applied := op.apply(state)
			if applied == nil {
				continue
			}
			nc := current(applied)
			if nc != "" && used[nc] || nc == commitment {
				continue // would reuse a commitment
			}
			next = applied
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

// parsedOperation is an anchored operation with its request parsed once: grouping by commitment needs
// the parse already, and applying reuses it (Apply would parse the same bytes again).
type parsedOperation struct {
	AnchoredOperation
	parsed *Operation
}

// apply is Apply(op, state) for a state that is not nil, without the second parse.
func (op parsedOperation) apply(state *State) *State {
	if op.parsed.Type != op.Type {
		return nil
	}
	return applyParsed(op.parsed, op.Verdict, op.TransactionNumber, state)
}

// groupByCommitment maps each commitment to the operations whose reveal value opens it. The first
// operation that does not parse is the resolution's error, as in the reference (see Resolve).
func groupByCommitment(ops []AnchoredOperation) (map[string][]parsedOperation, error) {
	m := make(map[string][]parsedOperation)
	for _, op := range ops {
		parsed, err := ParseOperation(op.Raw)
		if err != nil {
			return nil, err
		}
		c, err := CommitmentFromRevealValue(parsed.RevealValue)
		if err != nil {
			return nil, err
		}
		m[c] = append(m[c], parsedOperation{op, parsed})
	}
	return m, nil
}
