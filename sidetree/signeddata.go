package sidetree

// The signed data payloads are checked where an operation is parsed and, for operations anchored in
// batches, where the proof files are parsed (the reference's parseSignedDataPayload of each operation).

// ValidateUpdateSignedData checks an update's signed data payload: exactly {updateKey, deltaHash}.
func ValidateUpdateSignedData(payload Value) error {
	if err := checkPropertyCount(payload, 2, CodeUpdateOperationSignedDataHasMissingOrUnknownProperty); err != nil {
		return err
	}
	if err := ValidateES256KValue(field(payload, "updateKey")); err != nil {
		return err
	}
	return ValidateEncodedMultihash(field(payload, "deltaHash"), "update operation delta hash")
}

// ValidateRecoverSignedData checks a recover's signed data payload: exactly {recoveryCommitment,
// recoveryKey, deltaHash}.
func ValidateRecoverSignedData(payload Value) error {
	if err := checkPropertyCount(payload, 3, CodeRecoverOperationSignedDataMissingOrUnknownProperty); err != nil {
		return err
	}
	if err := ValidateES256KValue(field(payload, "recoveryKey")); err != nil {
		return err
	}
	if err := ValidateEncodedMultihash(field(payload, "deltaHash"), "recover operation delta hash"); err != nil {
		return err
	}
	return ValidateEncodedMultihash(field(payload, "recoveryCommitment"), "recover operation next recovery commitment")
}

// ValidateDeactivateSignedData checks a deactivate's signed data payload: exactly {didSuffix, recoveryKey},
// signing the DID it deactivates.
func ValidateDeactivateSignedData(payload Value, didSuffix string) error {
	if err := checkPropertyCount(payload, 2, CodeDeactivateOperationSignedDataMissingOrUnknownProperty); err != nil {
		return err
	}
	if s, ok := field(payload, "didSuffix").Str(); !ok || s != didSuffix {
		return codeError(CodeDeactivateOperationSignedDidUniqueSuffixMismatch)
	}
	return ValidateES256KValue(field(payload, "recoveryKey"))
}

// checkDeltaSize is the first half of the reference's Delta.validateDelta: a delta must exist and its
// canonical form must fit the size limit.
func checkDeltaSize(delta Value, p Parameters) error {
	if err := checkDeltaPresent(delta); err != nil {
		return err
	}
	if delta.hasNonFinite() {
		return &Error{Code: CodeInvalidJSON, Message: "delta cannot be canonicalized", Err: errNotCanonicalizable}
	}
	// The size is counted, not written: a delta of hostile ParseErrors can be gigabytes written out.
	n, _ := delta.jsonSize(maxMeasuredDeltaBytes)
	return deltaSizeError(n, p)
}

// checkDeltaPresent rejects a null or missing delta.
func checkDeltaPresent(delta Value) error {
	if delta.Kind() == kindUndefined || delta.Kind() == KindNull {
		return jsError(CodeDeltaIsNullOrUndefined, "Delta is "+jsString(delta))
	}
	return nil
}

// deltaSizeError rejects a canonical delta of n bytes that exceeds the limit (nil when it fits).
func deltaSizeError(n int, p Parameters) error {
	if n > maxMeasuredDeltaBytes {
		// The reference writes it out, and past V8's string limit fails with a RangeError instead.
		return newError(CodeDeltaExceedsMaximumSize, "more than %d bytes of 'delta' exceeded limit of %d bytes.", maxMeasuredDeltaBytes, p.MaxDeltaSizeInBytes)
	}
	if n > p.MaxDeltaSizeInBytes {
		return newError(CodeDeltaExceedsMaximumSize, "%d bytes of 'delta' exceeded limit of %d bytes.", n, p.MaxDeltaSizeInBytes)
	}
	return nil
}

// maxMeasuredDeltaBytes is how far a delta's size is counted exactly for the error message.
const maxMeasuredDeltaBytes = 1 << 20
