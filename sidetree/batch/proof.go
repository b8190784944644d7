package batch

import "github.com/ionode/ionode/sidetree"

// CoreProofFile is a parsed core proof file: the compact JWS signed data of each recover and deactivate,
// in the order of the core index file's references.
type CoreProofFile struct {
	Recovers    []string
	Deactivates []string
	// parsedRecovers and parsedDeactivates are each proof's JWS and payload as the read parsed them: the
	// reader hands them to the verdicts so that they are not parsed twice.
	parsedRecovers, parsedDeactivates []sidetree.ParsedJWS
}

// ParseCoreProofFile parses a compressed core proof file as the reference's CoreProofFile.parse; each
// deactivate proof must sign the DID of the deactivate reference at the same position.
func ParseCoreProofFile(data []byte, p sidetree.Parameters, deactivateSuffixes []string) (*CoreProofFile, error) {
	model, err := parseFile(data, p.MaxProofFileSizeInBytes, sidetree.CodeCoreProofFileDecompressionFailure, sidetree.CodeCoreProofFileNotJson)
	if err != nil {
		return nil, err
	}
	ops, err := proofOperations(model, []string{"recover", "deactivate"}, sidetree.CodeCoreProofFileOperationsNotFound, "core proof file")
	if err != nil {
		return nil, err
	}
	f := &CoreProofFile{}
	var payloads sidetree.PayloadReader
	if v := ops.Field("recover"); !v.IsUndefined() {
		if f.Recovers, f.parsedRecovers, err = proofs(&payloads, v, sidetree.CodeCoreProofFileRecoverPropertyNotAnArray, "recover proof", func(_ int, payload sidetree.Value) error {
			return sidetree.ValidateRecoverSignedData(payload)
		}); err != nil {
			return nil, err
		}
	}
	if v := ops.Field("deactivate"); !v.IsUndefined() {
		if f.Deactivates, f.parsedDeactivates, err = proofs(&payloads, v, sidetree.CodeCoreProofFileDeactivatePropertyNotAnArray, "deactivate proof", func(i int, payload sidetree.Value) error {
			if i < len(deactivateSuffixes) {
				return sidetree.ValidateDeactivateSignedData(payload, deactivateSuffixes[i])
			}
			return validateUnexpectedDeactivate(payload)
		}); err != nil {
			return nil, err
		}
	}
	if len(f.Recovers)+len(f.Deactivates) == 0 {
		return nil, sidetree.Errorf(sidetree.CodeCoreProofFileHasNoProofs, "core proof file has no proofs")
	}
	return f, nil
}

// ProvisionalProofFile is a parsed provisional proof file: each update's compact JWS signed data.
type ProvisionalProofFile struct {
	Updates []string
	// parsed is each update's JWS and payload as the read parsed them (when the file streamed, the
	// stream handed them out instead): the reader hands them to the verdicts so that they are not parsed
	// twice.
	parsed []sidetree.ParsedJWS
}

// ParseProvisionalProofFile parses a compressed provisional proof file as the reference's
// ProvisionalProofFile.parse. A file of the plain shape {"operations":{"update":[…]}} is read one proof
// at a time (sidetree.EachYieldableElement); any other, or one with an invalid proof, is read whole.
func ParseProvisionalProofFile(data []byte, p sidetree.Parameters) (*ProvisionalProofFile, error) {
	f, _, err := parseProvisionalProof(nil, data, p, 0, proofSink{})
	return f, err
}

// proofSink says where the parsed form of the proofs a provisional proof file streams goes.
type proofSink struct {
	// each, when set, receives every proof the stream checks, instead of the file keeping its parsed form.
	each func(i int, jws string, parsed sidetree.ParsedJWS)
	// drop: no one keeps the parsed forms (each, if set, is done with one when it returns), so the next
	// proof's payload is read into the same memory: a 10,000-proof file then reuses one block of payloads
	// instead of allocating megabytes that are garbage at once.
	drop bool
}

// parseProvisionalProof is ParseProvisionalProofFile decompressing as decompressFile does, expecting
// about want proofs (the provisional index file's update count: a capacity, not a check), and handing
// the streamed proofs' parsed forms to sink. streamed reports whether the stream's proofs are the file's,
// false when it was read whole.
func parseProvisionalProof(dst *[]byte, data []byte, p sidetree.Parameters, want int, sink proofSink) (f *ProvisionalProofFile, streamed bool, err error) {
	raw, err := decompressFile(dst, data, p.MaxProofFileSizeInBytes, sidetree.CodeProvisionalProofFileDecompressionFailure)
	if err != nil {
		return nil, false, err
	}
	check := func(_ int, payload sidetree.Value) error { return sidetree.ValidateUpdateSignedData(payload) }
	// No more than the file could hold: want comes from a file the writer wrote too.
	want = min(want, len(raw)/len(`{"signedData":"..."},`)+1)
	f = &ProvisionalProofFile{Updates: make([]string, 0, want)}
	if sink.each == nil && !sink.drop {
		f.parsed = make([]sidetree.ParsedJWS, 0, want)
	}
	var payloads sidetree.PayloadReader
	var plain func(sidetree.Value) (sidetree.JWS, bool)
	if sink.drop && sink.each == nil {
		// No one takes the payloads: one written as ION's writers write it is checked without its tree.
		plain = payloads.PlainUpdateJWS
	}
	// Each proof is written out (Compact) before the next is read, and raw is not changed.
	if sidetree.EachYieldableElement(raw, []string{"operations", "update"}, func(i int, v sidetree.Value, _ []byte, _ bool) bool {
		jws, parsed, err := parseProof(&payloads, i, v, "update proof", check, plain)
		if err != nil {
			return false
		}
		f.Updates = append(f.Updates, jws)
		switch {
		case sink.each != nil:
			sink.each(i, jws, parsed)
		case !sink.drop:
			f.parsed = append(f.parsed, parsed)
		}
		if sink.drop {
			payloads.Rewind()
		}
		return true
	}) && len(f.Updates) > 0 {
		return f, true, nil
	}
	f, err = parseProvisionalProofWhole(raw, check)
	return f, false, err
}

// parseProvisionalProofWhole reads a decompressed provisional proof file as one tree.
func parseProvisionalProofWhole(raw []byte, check func(int, sidetree.Value) error) (*ProvisionalProofFile, error) {
	model, err := parseJSONFile(raw, sidetree.CodeProvisionalProofFileNotJson)
	if err != nil {
		return nil, err
	}
	ops, err := proofOperations(model, []string{"update"}, sidetree.CodeProvisionalProofFileOperationsNotFound, "provisional proof file")
	if err != nil {
		return nil, err
	}
	f := &ProvisionalProofFile{}
	var payloads sidetree.PayloadReader
	if f.Updates, f.parsed, err = proofs(&payloads, ops.Field("update"), sidetree.CodeProvisionalProofFileUpdatePropertyNotAnArray, "update proof", check); err != nil {
		return nil, err
	}
	if len(f.Updates) == 0 {
		return nil, sidetree.Errorf(sidetree.CodeProvisionalProofFileHasNoProofs, "provisional proof file has no proofs")
	}
	return f, nil
}

func proofOperations(model sidetree.Value, allowed []string, notFound sidetree.Code, what string) (sidetree.Value, error) {
	if model.Kind() == sidetree.KindNull {
		return sidetree.Value{}, sidetree.Errorf(notFound, "%s is null", what)
	}
	ops := model.Field("operations")
	if ops.IsUndefined() {
		return sidetree.Value{}, sidetree.Errorf(notFound, "%s does not have any operation proofs", what)
	}
	if err := onlyProperties(ops, allowed, sidetree.CodeInputValidatorInputContainsNowAllowedProperty, what); err != nil {
		return sidetree.Value{}, err
	}
	if ops.Kind() == sidetree.KindNull {
		return sidetree.Value{}, sidetree.Errorf(notFound, "operations of a %s cannot be null", what)
	}
	return ops, nil
}

// proofs parses a list of {signedData} proofs, checking each JWS and its payload (read by payloads), and
// returns each compact JWS and what was parsed of it.
func proofs(payloads *sidetree.PayloadReader, v sidetree.Value, notArray sidetree.Code, what string, payloadCheck func(int, sidetree.Value) error) ([]string, []sidetree.ParsedJWS, error) {
	list, ok := arrayOf(v)
	if !ok {
		return nil, nil, sidetree.Errorf(notArray, "%ss must be an array", what)
	}
	out := make([]string, 0, len(list))
	parsed := make([]sidetree.ParsedJWS, 0, len(list))
	for i, p := range list {
		jws, pj, err := parseProof(payloads, i, p, what, payloadCheck, nil)
		if err != nil {
			return nil, nil, err
		}
		out, parsed = append(out, jws), append(parsed, pj)
	}
	return out, parsed, nil
}

// parseProof is proof, returning also the JWS and payload it parsed. When plain is set and reads the
// signed data as a JWS whose payload passes payloadCheck, the payload is not parsed (the ParsedJWS has
// none).
func parseProof(payloads *sidetree.PayloadReader, i int, proof sidetree.Value, what string, payloadCheck func(int, sidetree.Value) error, plain func(sidetree.Value) (sidetree.JWS, bool)) (string, sidetree.ParsedJWS, error) {
	if err := onlyProperties(proof, []string{"signedData"}, sidetree.CodeInputValidatorInputContainsNowAllowedProperty, what); err != nil {
		return "", sidetree.ParsedJWS{}, err
	}
	if proof.Kind() == sidetree.KindNull {
		return "", sidetree.ParsedJWS{}, sidetree.Errorf(sidetree.CodeJwsCompactJwsNotString, "%s cannot be null", what)
	}
	signedData := proof.Field("signedData")
	// The string is the compact JWS it was parsed from: no need to join its parts again.
	compact, _ := signedData.Str()
	if plain != nil {
		if jws, ok := plain(signedData); ok {
			return compact, sidetree.ParsedJWS{JWS: jws}, nil
		}
	}
	jws, err := sidetree.ParseCompactJWS(signedData)
	if err != nil {
		return "", sidetree.ParsedJWS{}, err
	}
	payload, err := signedDataPayload(payloads, jws)
	if err != nil {
		return "", sidetree.ParsedJWS{}, err
	}
	if err := payloadCheck(i, payload); err != nil {
		return "", sidetree.ParsedJWS{}, err
	}
	return compact, sidetree.ParsedJWS{JWS: jws, Payload: payload}, nil
}

// proofsValue is the JSON of proofs, {signedData} each.
func proofsValue(jws []string) sidetree.Value {
	out := make([]sidetree.Value, len(jws))
	for i, s := range jws {
		out[i] = sidetree.Object(sidetree.Member{Key: "signedData", Value: sidetree.String(s)})
	}
	return sidetree.Array(out...)
}

// signedDataPayload decodes a proof's payload as the reference's parseSignedDataPayload methods do:
// Encoder.decodeAsString, then JsonAsync.parse (yieldable-json, not JSON.parse).
func signedDataPayload(payloads *sidetree.PayloadReader, jws sidetree.JWS) (sidetree.Value, error) {
	v, err := payloads.Value(jws)
	if err != nil {
		return sidetree.Value{}, sidetree.Errorf(sidetree.CodeInvalidJSON, "signed data payload is not JSON: %v", err)
	}
	return v, nil
}

// validateUnexpectedDeactivate checks a deactivate proof beyond the core index file's deactivates: the
// reference compares its didSuffix with undefined (CoreProofFile.ts passes
// expectedDeactivatedDidUniqueSuffixes[i] past the end), so the payload must have two properties, no
// didSuffix, and a valid recovery key. The proof count check then decides the file.
func validateUnexpectedDeactivate(payload sidetree.Value) error {
	n := 0
	switch payload.Kind() {
	case sidetree.KindNull:
		return sidetree.Errorf(sidetree.CodeInvalidJSON, "cannot convert null to object")
	case sidetree.KindObject, sidetree.KindArray:
		n = payload.Len()
	case sidetree.KindString:
		s, _ := payload.Str()
		n = sidetree.UTF16Len(s)
	}
	if n != 2 {
		return sidetree.Errorf(sidetree.CodeDeactivateOperationSignedDataMissingOrUnknownProperty, "deactivate signed data must have two properties")
	}
	if !payload.Field("didSuffix").IsUndefined() {
		return sidetree.Errorf(sidetree.CodeDeactivateOperationSignedDidUniqueSuffixMismatch, "deactivate proof has no deactivate reference to sign")
	}
	return sidetree.ValidateES256KValue(payload.Field("recoveryKey"))
}
