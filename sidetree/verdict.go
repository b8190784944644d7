package sidetree

// Verdict is the outcome of an operation's signature check: whether its JWS verifies under the key the
// operation reveals (updateKey for an update, recoveryKey for a recover or deactivate). It depends only on
// the operation's bytes, so a node computes it once, when it ingests the operation, and stores it with
// those bytes; resolution then skips the curve arithmetic but still checks every commitment in the
// reference's order. A verdict is only meaningful next to the exact bytes it was computed from: callers
// keep the two in one record (AnchoredOperation, one stored value) and leave it VerdictUnknown otherwise.
type Verdict uint8

// The verdicts. The zero value means "not known": resolution verifies the signature itself.
const (
	// VerdictUnknown: not computed (an operation stored by an older version, or one built in memory);
	// Apply verifies the signature.
	VerdictUnknown Verdict = iota
	// VerdictValid: the signature verifies under the revealed key.
	VerdictValid
	// VerdictInvalid: the signature does not verify, or the operation does not parse into one that
	// carries a signature (a create, or bytes that fail parsing: Apply never reaches the check then).
	VerdictInvalid
)

// String names the verdict for logs.
func (v Verdict) String() string {
	switch v {
	case VerdictValid:
		return "valid"
	case VerdictInvalid:
		return "invalid"
	}
	return "unknown"
}

// ComputeVerdict parses an operation request body and checks its signature: the verdict to store with
// exactly these bytes. It costs one parse and, for update, recover and deactivate, one ES256K verification.
func ComputeVerdict(raw []byte) Verdict {
	op, err := ParseOperation(raw)
	if err != nil {
		return VerdictInvalid
	}
	return op.SignatureVerdict()
}

// PartsVerdict is the verdict of a recover, deactivate or update given by its parts, as a batch's
// reference and proof files carry them: ComputeVerdict of the body
// {"type", "didSuffix", "revealValue", "signedData"[, "delta"]} they compose, without parsing that body
// (and its delta) again. It equals ComputeVerdict of that body whenever the body's delta, if any, does not
// decide whether it parses: always for a recover and a deactivate without one, and for an update whose
// delta passes ValidateDelta (as every delta of a chunk file that reads does). Any other type's verdict
// is VerdictInvalid, as ComputeVerdict's of a create is: a create carries no signature.
func PartsVerdict(t OperationType, didSuffix, revealValue, signedData string) Verdict {
	op, err := parseSignedParts(t, String(didSuffix), String(revealValue), String(signedData), nil)
	if err != nil {
		return VerdictInvalid
	}
	return op.SignatureVerdict()
}

// SignatureVerdict checks a parsed operation's signature under the key it reveals.
func (op *Operation) SignatureVerdict() Verdict {
	key, ok := op.signingKey()
	if !ok || !op.SignedData.VerifyES256K(key) {
		return VerdictInvalid
	}
	return VerdictValid
}

// signingKey is the key an operation's JWS must verify under: the one its reveal value opens.
func (op *Operation) signingKey() (Value, bool) {
	switch op.Type {
	case OpUpdate:
		return field(op.Signed, "updateKey"), true
	case OpRecover, OpDeactivate:
		return field(op.Signed, "recoveryKey"), true
	}
	return Value{}, false
}

// signatureValid is the check Apply makes after the commitment check: a known verdict answers it,
// otherwise the signature is verified now.
func (op *Operation) signatureValid(key Value, v Verdict) bool {
	switch v {
	case VerdictValid:
		return true
	case VerdictInvalid:
		return false
	}
	return op.SignedData.VerifyES256K(key)
}
