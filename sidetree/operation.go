package sidetree

// OperationType names the four Sidetree operations.
type OperationType string

// The operation types, as they appear in requests.
const (
	OpCreate     OperationType = "create"
	OpUpdate     OperationType = "update"
	OpRecover    OperationType = "recover"
	OpDeactivate OperationType = "deactivate"
)

// Operation is a parsed and structurally validated operation request. Signatures and commitments are
// checked when the operation is applied to a DID state, as in the reference.
type Operation struct {
	Type      OperationType
	DIDSuffix string
	// RevealValue is the multihash of the signing key (update, recover, deactivate).
	RevealValue string
	// SuffixData is the create operation's suffix data.
	SuffixData Value
	// Delta is the operation's delta; HasDelta is false when a create or recover carried an invalid one
	// (the reference keeps such operations: they still set the recovery commitment).
	Delta    Value
	HasDelta bool
	// SignedData is the JWS of update, recover and deactivate; Signed is its decoded payload.
	SignedData JWS
	Signed     Value
	// Raw is the operation as received.
	Raw []byte
	// deltaCanonical is JCS(Delta) when the parse already had it (a long-form DID's state is canonical).
	deltaCanonical []byte
}

// ParseOperation parses an operation request body as the reference's Operation.parse does.
func ParseOperation(raw []byte) (*Operation, error) {
	v, err := ParseJSON(raw)
	if err != nil {
		return nil, &Error{Code: CodeInvalidJSON, Message: "operation is not JSON", Err: err}
	}
	return parseOperationValue(v, raw)
}

func parseOperationValue(v Value, raw []byte) (*Operation, error) {
	typeV, err := propertyOf(v, "type")
	if err != nil {
		return nil, err
	}
	t, _ := typeV.Str()
	if typeV.Kind() != KindString {
		t = ""
	}
	switch OperationType(t) {
	case OpCreate:
		return parseCreate(v, raw)
	case OpUpdate:
		return parseUpdate(v, raw)
	case OpRecover:
		return parseRecover(v, raw)
	case OpDeactivate:
		return parseDeactivate(v, raw)
	}
	return nil, codeError(CodeOperationTypeUnknownOrMissing)
}

func parseCreate(v Value, raw []byte) (*Operation, error) {
	if v.Len() != 3 {
		return nil, codeError(CodeCreateOperationMissingOrUnknownProperty)
	}
	suffixData := field(v, "suffixData")
	if err := ValidateSuffixData(suffixData); err != nil {
		return nil, err
	}
	op := &Operation{Type: OpCreate, SuffixData: suffixData, Raw: raw}
	if delta := field(v, "delta"); ValidateDelta(delta) == nil {
		op.Delta, op.HasDelta = delta, true
	}
	suffix, err := ComputeDIDSuffix(suffixData)
	if err != nil {
		return nil, err
	}
	op.DIDSuffix = suffix
	return op, nil
}

func parseUpdate(v Value, raw []byte) (*Operation, error) {
	op, err := parseSignedOperation(v, raw, OpUpdate, []string{"type", "didSuffix", "revealValue", "signedData", "delta"})
	if err != nil {
		return nil, err
	}
	delta := field(v, "delta")
	if err := ValidateDelta(delta); err != nil {
		return nil, err
	}
	op.Delta, op.HasDelta = delta, true
	return op, nil
}

func parseRecover(v Value, raw []byte) (*Operation, error) {
	op, err := parseSignedOperation(v, raw, OpRecover, []string{"type", "didSuffix", "revealValue", "signedData", "delta"})
	if err != nil {
		return nil, err
	}
	if delta := field(v, "delta"); ValidateDelta(delta) == nil {
		op.Delta, op.HasDelta = delta, true
	}
	return op, nil
}

func parseDeactivate(v Value, raw []byte) (*Operation, error) {
	return parseSignedOperation(v, raw, OpDeactivate, []string{"type", "didSuffix", "revealValue", "signedData"})
}

// checkPropertyCount is `Object.keys(payload).length !== n` rejected with code; a null payload throws a
// TypeError there, which the reference does not report with a code (invalid_json here).
func checkPropertyCount(v Value, n int, code Code) error {
	got, err := objectKeysLen(v)
	if err != nil {
		return err
	}
	if got != n {
		return codeError(code)
	}
	return nil
}

// parseSignedOperation does the checks update, recover and deactivate share, in the reference's order,
// up to the delta (the caller's).
func parseSignedOperation(v Value, raw []byte, t OperationType, allowed []string) (*Operation, error) {
	if k, found := forInKeyNotIn(v, allowed...); found {
		return nil, notAllowedProperty(k, string(t)+" request")
	}
	return parseSignedParts(t, field(v, "didSuffix"), field(v, "revealValue"), field(v, "signedData"), raw)
}

// parseSignedParts checks a signed operation's DID suffix, reveal value and signed data (its JWS, its
// payload for the type, and that the revealed key hashes to the reveal value), in the reference's order.
func parseSignedParts(t OperationType, didSuffix, revealValue, signedData Value, raw []byte) (*Operation, error) {
	if err := ValidateEncodedMultihash(didSuffix, string(t)+" request didSuffix"); err != nil {
		return nil, err
	}
	if err := ValidateEncodedMultihash(revealValue, string(t)+" request reveal value"); err != nil {
		return nil, err
	}
	jws, err := ParseCompactJWS(signedData)
	if err != nil {
		return nil, err
	}
	payload, err := jws.PayloadValue()
	if err != nil {
		return nil, err
	}
	suffix, _ := didSuffix.Str()
	reveal, _ := revealValue.Str()
	op := &Operation{Type: t, DIDSuffix: suffix, RevealValue: reveal, SignedData: jws, Signed: payload, Raw: raw}
	what := string(t) + " request recovery key"
	switch t {
	case OpUpdate:
		err, what = ValidateUpdateSignedData(payload), "update request update key"
	case OpRecover:
		err = ValidateRecoverSignedData(payload)
	case OpDeactivate:
		err = ValidateDeactivateSignedData(payload, suffix)
	default:
		return nil, codeError(CodeOperationTypeUnknownOrMissing)
	}
	if err != nil {
		return nil, err
	}
	key, _ := op.signingKey()
	if err := checkRevealValue(key, reveal, what); err != nil {
		return nil, err
	}
	return op, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkRevealValue checks that the reveal value is the hash of the signing key's canonical form.
func checkRevealValue(key Value, reveal, what string) error {
	if RevealValueOf(key) != reveal {
		return jsError(CodeCanonicalizedObjectHashMismatch, "Canonicalized "+what+" object hash does not match expected hash '"+reveal+"'.")
	}
	return nil
}

// ValidateSuffixData checks create suffix data: deltaHash, recoveryCommitment and an optional type.
func ValidateSuffixData(v Value) error {
	if err := validateNonArrayObject(v, "suffix data"); err != nil {
		return err
	}
	if k, found := forInKeyNotIn(v, "deltaHash", "recoveryCommitment", "type"); found {
		return notAllowedProperty(k, "suffix data")
	}
	if v.Kind() == KindNull {
		return newError(CodeInvalidJSON, "suffix data is null")
	}
	if err := ValidateEncodedMultihash(field(v, "deltaHash"), "delta hash"); err != nil {
		return err
	}
	if err := ValidateEncodedMultihash(field(v, "recoveryCommitment"), "recovery commitment"); err != nil {
		return err
	}
	t := field(v, "type")
	if t.Kind() == kindUndefined {
		return nil
	}
	s, ok := t.Str()
	if !ok {
		return jsError(CodeSuffixDataTypeIsNotString, "DID type must be a string, but is of type "+jsTypeof(t)+".")
	}
	if utf16Len(s) > 4 {
		return jsError(CodeSuffixDataTypeLengthGreaterThanFour, "DID type string '"+s+"' cannot be longer than 4 characters.")
	}
	if !IsBase64URL(s) {
		return jsError(CodeSuffixDataTypeInvalidCharacter, "DID type string '"+s+"' contains a non-Base64URL character.")
	}
	return nil
}

// notAllowedProperty is InputValidator.validateObjectContainsOnlyAllowedProperties's rejection.
func notAllowedProperty(property, what string) error {
	return jsError(CodeInputValidatorInputContainsNowAllowedProperty, "Property '"+property+"' is not allowed in '"+what+"' object.")
}

func validateNonArrayObject(v Value, what string) error {
	if !isJSObjectType(v) {
		return jsError(CodeInputValidatorInputIsNotAnObject, "Input "+what+" is not an object.")
	}
	if v.Kind() == KindArray {
		return jsError(CodeInputValidatorInputCannotBeAnArray, "Input "+what+" object cannot be an array.")
	}
	return nil
}

// ValidateDelta checks a delta's structure (Operation.validateDelta): patches and updateCommitment only.
func ValidateDelta(delta Value) error {
	if err := validateNonArrayObject(delta, "delta"); err != nil {
		return err
	}
	if delta.Kind() == KindNull {
		return newError(CodeInvalidJSON, "delta is null")
	}
	for _, m := range delta.Members() {
		if m.Key != "patches" && m.Key != "updateCommitment" {
			return notAllowedProperty(m.Key, "delta")
		}
	}
	if err := ValidatePatches(field(delta, "patches")); err != nil {
		return err
	}
	return ValidateEncodedMultihash(field(delta, "updateCommitment"), "update commitment")
}

// ValidateDeltaSize is the size check the reference applies to requests and long-form DIDs (not to
// anchored operations): the canonical delta must not exceed maxDeltaSizeInBytes.
func ValidateDeltaSize(delta Value, p Parameters) error {
	if err := checkDeltaSize(delta, p); err != nil {
		return err
	}
	return ValidateDelta(delta)
}
