package sidetree

// State is a DID's state after applying operations: its internal document (publicKeys and services as
// the patches left them) and the commitments the next operations must open. A deactivated DID has no
// recovery commitment.
type State struct {
	Document                 Value
	NextRecoveryCommitment   string // "" once deactivated
	NextUpdateCommitment     string // "" when no valid update can follow
	LastOperationTransaction uint64
}

// Deactivated reports whether the DID has been deactivated.
func (s *State) Deactivated() bool { return s.NextRecoveryCommitment == "" }

// AnchoredOperation is an operation as it was anchored: its request body and position on the chain.
type AnchoredOperation struct {
	Type              OperationType
	DIDSuffix         string
	Raw               []byte // the operation request body, as reconstructed from the batch files
	TransactionNumber uint64
	TransactionTime   uint64 // block height
	OperationIndex    uint32
	// Verdict is the stored outcome of this operation's signature check, computed from Raw at ingest
	// (ComputeVerdict); VerdictUnknown makes Apply verify the signature itself.
	Verdict Verdict
}

// Apply applies one anchored operation to a state (nil before the create) and returns the new state, or
// nil when the operation does not apply. It is the reference's OperationProcessor.apply: an operation
// that leaves the state's last transaction number unchanged counts as not applied.
func Apply(op AnchoredOperation, state *State) *State {
	if state == nil && op.Type != OpCreate {
		return nil
	}
	parsed, err := ParseOperation(op.Raw)
	if err != nil || parsed.Type != op.Type {
		return nil
	}
	return applyParsed(parsed, op.Verdict, op.TransactionNumber, state)
}

// ApplyParsed is Apply for an operation already parsed, its signature verified here.
func ApplyParsed(op *Operation, txn uint64, state *State) *State {
	return applyParsed(op, VerdictUnknown, txn, state)
}

// applyParsed applies op, whose signature verdict (computed from op.Raw) is v.
func applyParsed(op *Operation, v Verdict, txn uint64, state *State) *State {
	if state == nil && op.Type != OpCreate {
		return nil
	}
	var next *State
	switch op.Type {
	case OpCreate:
		if state != nil {
			next = state
		} else {
			next = applyCreate(op, txn)
		}
	case OpUpdate:
		next = applyUpdate(op, v, txn, state)
	case OpRecover:
		next = applyRecover(op, v, txn, state)
	case OpDeactivate:
		next = applyDeactivate(op, v, txn, state)
	}
	if next == nil || (state != nil && next.LastOperationTransaction == state.LastOperationTransaction) {
		return nil
	}
	return next
}

func applyCreate(op *Operation, txn uint64) *State {
	recovery, _ := field(op.SuffixData, "recoveryCommitment").Str()
	s := &State{Document: emptyObject(), NextRecoveryCommitment: recovery, LastOperationTransaction: txn}
	deltaHash, _ := field(op.SuffixData, "deltaHash").Str()
	if _, failed := applyDelta(s, op, deltaHash, emptyObject()); failed {
		return nil
	}
	return s
}

// applyDelta sets the update commitment and document from a delta that matches its hash. failed is set
// when the delta cannot even be canonicalized: the reference throws there, and the whole operation is
// then ignored.
func applyDelta(s *State, op *Operation, deltaHash string, base Value) (applied, failed bool) {
	if !op.HasDelta {
		return false, false
	}
	canonical := op.deltaCanonical
	if canonical == nil {
		var err error
		if canonical, err = op.Delta.Canonicalize(); err != nil {
			return false, true
		}
	}
	if !VerifyEncodedMultihash(canonical, deltaHash) {
		return false, false
	}
	s.NextUpdateCommitment, _ = field(op.Delta, "updateCommitment").Str()
	ApplyPatches(&base, field(op.Delta, "patches"))
	s.Document = base
	return true, false
}

func applyUpdate(op *Operation, v Verdict, txn uint64, state *State) *State {
	key := field(op.Signed, "updateKey")
	if !verifyCommitment(key, state.NextUpdateCommitment) || !op.signatureValid(key, v) {
		return state
	}
	deltaHash, _ := field(op.Signed, "deltaHash").Str()
	next := &State{
		NextRecoveryCommitment:   state.NextRecoveryCommitment,
		LastOperationTransaction: txn,
	}
	if applied, failed := applyDelta(next, op, deltaHash, state.Document.DeepCopy()); failed {
		return nil
	} else if !applied {
		return state
	}
	return next
}

func applyRecover(op *Operation, v Verdict, txn uint64, state *State) *State {
	key := field(op.Signed, "recoveryKey")
	if !verifyCommitment(key, state.NextRecoveryCommitment) || !op.signatureValid(key, v) {
		return state
	}
	recovery, _ := field(op.Signed, "recoveryCommitment").Str()
	next := &State{Document: emptyObject(), NextRecoveryCommitment: recovery, LastOperationTransaction: txn}
	deltaHash, _ := field(op.Signed, "deltaHash").Str()
	if _, failed := applyDelta(next, op, deltaHash, emptyObject()); failed {
		return nil
	}
	return next
}

func applyDeactivate(op *Operation, v Verdict, txn uint64, state *State) *State {
	key := field(op.Signed, "recoveryKey")
	if !verifyCommitment(key, state.NextRecoveryCommitment) || !op.signatureValid(key, v) {
		return state
	}
	return &State{Document: state.Document, LastOperationTransaction: txn}
}

// verifyCommitment checks that key opens commitment (the reference's canonicalizeAndVerifyDoubleHash).
func verifyCommitment(key Value, commitment string) bool {
	if commitment == "" {
		return false
	}
	var buf [canonicalBufSize]byte
	c, ok := canonicalOrEmpty(key, buf[:])
	return ok && VerifyDoubleHash(c, commitment)
}

func emptyObject() Value { return objectValue([]Member{}) }
